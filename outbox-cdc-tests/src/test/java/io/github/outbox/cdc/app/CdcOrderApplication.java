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
package io.github.outbox.cdc.app;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.store.OutboxMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Transactional;

/**
 * An application of the starter, as a user writes it: events published inside
 * {@code @Transactional} methods, through {@link ApplicationEventPublisher} and
 * {@link OutboxPublisher}. Which relay publishes them is configuration only.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CdcOrderApplication {

	@Bean
	OrderService orderService(ApplicationEventPublisher events, OutboxPublisher publisher) {
		return new OrderService(events, publisher);
	}

	@Bean
	CommittedEvents committedEvents() {
		return new CommittedEvents();
	}

	/**
	 * The business service.
	 */
	public static class OrderService {

		private final ApplicationEventPublisher events;

		private final OutboxPublisher publisher;

		OrderService(ApplicationEventPublisher events, OutboxPublisher publisher) {
			this.events = events;
			this.publisher = publisher;
		}

		@Transactional
		public void place(String orderId, String customer, BigDecimal amount) {
			this.events.publishEvent(new OrderPlaced(orderId, customer, amount));
		}

		@Transactional
		public void placeAndFail(String orderId) {
			this.events.publishEvent(new OrderPlaced(orderId, "nobody", BigDecimal.ONE));
			throw new IllegalStateException("payment declined");
		}

		@Transactional
		public void publish(String topic, @Nullable String key, Map<String, Object> event) {
			this.publisher.publish(topic, key, event);
		}

	}

	/**
	 * The events of committed transactions, as the capture wrote them: what the records
	 * must carry.
	 */
	public static class CommittedEvents implements OutboxCommitListener {

		private final List<OutboxMessage> messages = new CopyOnWriteArrayList<>();

		private final Map<UUID, Long> committedAt = new ConcurrentHashMap<>();

		@Override
		public void committed(List<OutboxMessage> messages) {
			long now = System.nanoTime();
			messages.forEach((message) -> this.committedAt.put(message.eventId(), now));
			this.messages.addAll(messages);
		}

		/**
		 * When the transaction of the given event committed.
		 * @param eventId the event
		 * @return the {@link System#nanoTime()} right after the commit
		 */
		public long committedAt(UUID eventId) {
			return this.committedAt.get(eventId);
		}

		public List<OutboxMessage> messages() {
			return List.copyOf(this.messages);
		}

	}

}
