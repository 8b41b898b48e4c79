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
package io.github.outbox.test.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.github.outbox.OutboxEvent;

import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * A JPA aggregate whose domain event goes through the outbox.
 */
@Entity
@Table(name = "purchase")
public class Purchase extends AbstractAggregateRoot<Purchase> {

	@Id
	private String id;

	private int amount;

	protected Purchase() {
	}

	public Purchase(String id, int amount) {
		this.id = id;
		this.amount = amount;
		registerEvent(new PurchaseMade(id, amount));
	}

	public String getId() {
		return this.id;
	}

	@OutboxEvent(topic = "purchases", key = "purchaseId")
	public record PurchaseMade(String purchaseId, int amount) {

	}

}
