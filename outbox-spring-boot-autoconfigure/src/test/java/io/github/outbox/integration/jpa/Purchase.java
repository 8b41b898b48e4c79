/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.outbox.integration.jpa;

import io.github.outbox.OutboxEvent;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * A Spring Data aggregate that raises an outbox event when it is placed.
 */
@Entity
@Table(name = "purchase")
public class Purchase extends AbstractAggregateRoot<Purchase> {

	@Id
	private String id;

	private int amount;

	protected Purchase() {
	}

	public static Purchase place(String id, int amount) {
		Purchase purchase = new Purchase();
		purchase.id = id;
		purchase.amount = amount;
		purchase.registerEvent(new PurchasePlaced(id, amount));
		return purchase;
	}

	public String getId() {
		return this.id;
	}

	public int getAmount() {
		return this.amount;
	}

	@OutboxEvent(topic = "${test.topic}", key = "purchaseId")
	public record PurchasePlaced(String purchaseId, int amount) {

	}

}
