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

package io.github.outbox.integration;

import io.github.outbox.OutboxEvent;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The application of the capture path tests: the ways a Spring application hands an event
 * to the outbox (listener phases, savepoints, event multicasters). The relay is off: what
 * the outbox table holds after the commit is what the relay would send.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
		excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class CapturePathsApplication {

	@Bean
	BeforeCommitConverter beforeCommitConverter(ApplicationEventPublisher publisher) {
		return new BeforeCommitConverter(publisher);
	}

	/**
	 * Turns plain application events into outbox events in transactional event listeners.
	 */
	static class BeforeCommitConverter {

		private final ApplicationEventPublisher publisher;

		BeforeCommitConverter(ApplicationEventPublisher publisher) {
			this.publisher = publisher;
		}

		@TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
		void on(OrderSubmitted submitted) {
			this.publisher.publishEvent(new OrderPlaced(submitted.orderId(), submitted.note()));
		}

		@TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
		void on(OrderConfirmed confirmed) {
			this.publisher.publishEvent(new OrderPlaced(confirmed.orderId(), "after commit"));
		}

	}

	@OutboxEvent(topic = "${test.topic}", key = "orderId")
	public record OrderPlaced(String orderId, String note) {

	}

	@OutboxEvent(topic = "${test.topic}")
	public record Announcement(String text) {

	}

	public record OrderSubmitted(String orderId, String note) {

	}

	public record OrderConfirmed(String orderId) {

	}

}
