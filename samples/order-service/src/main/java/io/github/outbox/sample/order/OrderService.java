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
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Places orders. Saving an order and publishing its {@link OrderPlaced} event happen in
 * one database transaction: the event is written to the outbox table next to the order
 * row, so either both are stored or neither is.
 *
 * @author Outbox contributors
 */
@Service
public class OrderService {

	private static final Log logger = LogFactory.getLog(OrderService.class);

	private final OrderRepository repository;

	private final ApplicationEventPublisher eventPublisher;

	OrderService(OrderRepository repository, ApplicationEventPublisher eventPublisher) {
		this.repository = repository;
		this.eventPublisher = eventPublisher;
	}

	@Transactional
	public Order placeOrder(String customer, BigDecimal amount) {
		Order order = new Order(UUID.randomUUID().toString(), customer, amount,
				Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.repository.save(order);
		this.eventPublisher.publishEvent(OrderPlaced.of(order));
		// logged with the request's trace id, which the OrderPlaced event carries on
		logger.info("Order %s saved, OrderPlaced recorded in the outbox".formatted(order.id()));
		return order;
	}

	@Transactional(readOnly = true)
	public Optional<Order> findOrder(String id) {
		return this.repository.findById(id);
	}

}
