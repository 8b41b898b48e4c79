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

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores orders in the {@code orders} table.
 *
 * @author Outbox contributors
 */
@Repository
public class OrderRepository {

	private final JdbcClient jdbcClient;

	OrderRepository(JdbcClient jdbcClient) {
		this.jdbcClient = jdbcClient;
	}

	void save(Order order) {
		this.jdbcClient.sql("INSERT INTO orders (id, customer, amount, placed_at) VALUES (?, ?, ?, ?)")
			.params(order.id(), order.customer(), order.amount(), order.placedAt().atOffset(ZoneOffset.UTC))
			.update();
	}

	Optional<Order> findById(String id) {
		return this.jdbcClient.sql("SELECT id, customer, amount, placed_at FROM orders WHERE id = ?")
			.param(id)
			.query(this::mapOrder)
			.optional();
	}

	private Order mapOrder(ResultSet resultSet, int rowNum) throws SQLException {
		return new Order(resultSet.getString("id"), resultSet.getString("customer"), resultSet.getBigDecimal("amount"),
				resultSet.getObject("placed_at", OffsetDateTime.class).toInstant());
	}

}
