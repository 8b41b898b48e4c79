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
package io.github.outbox.test;

import io.github.outbox.test.TestApplication.OrderCancelled;
import io.github.outbox.test.TestApplication.OrderPlaced;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The service under test: publishes its events in its own transactions.
 */
@Service
public class Orders {

	private final ApplicationEventPublisher events;

	Orders(ApplicationEventPublisher events) {
		this.events = events;
	}

	@Transactional
	public void place(String orderId, int amount) {
		this.events.publishEvent(new OrderPlaced(orderId, amount));
	}

	@Transactional
	public void placeAndFail(String orderId) {
		this.events.publishEvent(new OrderPlaced(orderId, 1));
		throw new IllegalStateException("payment refused");
	}

	@Transactional(propagation = Propagation.NESTED)
	public void cancelAndFail(String orderId) {
		this.events.publishEvent(new OrderCancelled(orderId));
		throw new IllegalStateException("cancellation refused");
	}

	@Transactional
	public void cancel(String orderId) {
		this.events.publishEvent(new OrderCancelled(orderId));
	}

}
