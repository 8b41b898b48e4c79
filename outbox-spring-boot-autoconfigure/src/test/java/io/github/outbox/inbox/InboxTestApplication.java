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

package io.github.outbox.inbox;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * A consumer of order events that records a payment for each, through the inbox.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
		excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
class InboxTestApplication {

	@Bean
	PaymentListener paymentListener(JdbcTemplate jdbc) {
		return new PaymentListener(jdbc);
	}

	@Bean
	RefundListener refundListener(JdbcTemplate jdbc) {
		return new RefundListener(jdbc);
	}

	/**
	 * A listener reading record keys as bytes.
	 */
	static class RefundListener {

		private final JdbcTemplate jdbc;

		RefundListener(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@KafkaListener(topics = "${test.topic}-refunds", groupId = "refunds",
				properties = "key.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
		@Idempotent
		public void onRefund(String refund) {
			this.jdbc.update("INSERT INTO payment (event) VALUES (?)", refund);
		}

	}

	static class PaymentListener {

		private final JdbcTemplate jdbc;

		private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

		PaymentListener(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@KafkaListener(topics = "${test.topic}", groupId = "payments")
		@Idempotent
		public void onOrder(String order) {
			this.jdbc.update("INSERT INTO payment (event) VALUES (?)", order);
			if (order.startsWith("fail-once") && this.failedOnce.add(order)) {
				throw new IllegalStateException("payment provider down");
			}
		}

	}

}
