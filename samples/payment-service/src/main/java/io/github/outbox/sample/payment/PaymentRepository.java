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

package io.github.outbox.sample.payment;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Payments, one per order.
 */
@Repository
public class PaymentRepository {

	private final JdbcClient jdbc;

	PaymentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void save(OrderPlaced order, @Nullable String traceId) {
		this.jdbc.sql("INSERT INTO payments (id, order_id, amount, trace_id, paid_at) VALUES (?, ?, ?, ?, ?)")
			.params(UUID.randomUUID().toString(), order.orderId(), order.amount(), traceId,
					Timestamp.from(Instant.now()))
			.update();
	}

	/**
	 * Return every payment.
	 * @return the payments, oldest first
	 */
	public List<Payment> findAll() {
		return this.jdbc.sql("SELECT order_id, amount, trace_id FROM payments ORDER BY paid_at")
			.query((rs, row) -> new Payment(rs.getString(1), rs.getBigDecimal(2), rs.getString(3)))
			.list();
	}

	/**
	 * A payment.
	 *
	 * @param orderId the paid order
	 * @param amount the amount
	 * @param traceId the trace the payment was made in
	 */
	public record Payment(String orderId, BigDecimal amount, @Nullable String traceId) {

	}

}
