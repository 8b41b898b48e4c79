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

package io.github.outbox.sample.order;

import java.math.BigDecimal;
import java.time.Instant;

import io.github.outbox.OutboxEvent;

/**
 * Event published when an order has been placed. Written to the outbox in the transaction
 * that saves the order and relayed to Kafka after it commits, keyed by order id.
 *
 * @param orderId the id of the order
 * @param customer the customer who placed the order
 * @param amount the amount of the order
 * @param placedAt when the order was placed
 * @author Outbox contributors
 */
@OutboxEvent(topic = "${sample.topic:orders}", key = "orderId")
public record OrderPlaced(String orderId, String customer, BigDecimal amount, Instant placedAt) {

	static OrderPlaced of(Order order) {
		return new OrderPlaced(order.id(), order.customer(), order.amount(), order.placedAt());
	}

}
