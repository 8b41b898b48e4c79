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

package io.github.outbox.store;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.DeadOutboxEvents;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * {@link DeadOutboxEvents} on the outbox table. Retrying calls the given callback, so that
 * the relay can be woken at once.
 *
 * @author Outbox contributors
 */
public class JdbcDeadOutboxEvents implements DeadOutboxEvents {

	private final JdbcTemplate jdbc;

	private final OutboxTables tables;

	private final Runnable afterRetry;

	/**
	 * Create an instance.
	 * @param dataSource the data source holding the outbox tables
	 * @param tables the outbox tables
	 * @param afterRetry called after events were made pending again
	 */
	public JdbcDeadOutboxEvents(DataSource dataSource, OutboxTables tables, Runnable afterRetry) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(tables, "'tables' must not be null");
		Assert.notNull(afterRetry, "'afterRetry' must not be null");
		this.jdbc = new JdbcTemplate(dataSource);
		this.tables = tables;
		this.afterRetry = afterRetry;
	}

	@Override
	public long count() {
		Long count = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.tables.events() + " WHERE dead_at IS NOT NULL", Long.class);
		return (count != null) ? count : 0;
	}

	@Override
	public List<DeadOutboxEvent> list(int offset, int limit) {
		Assert.isTrue(offset >= 0, "'offset' must not be negative");
		Assert.isTrue(limit > 0, "'limit' must be positive");
		return this.jdbc.query("SELECT id, event_id, topic, event_key, event_sequence, event_type, created_at, dead_at,"
				+ " attempts, last_error FROM " + this.tables.events()
				+ " WHERE dead_at IS NOT NULL ORDER BY id LIMIT ? OFFSET ?", (rs, row) -> {
					long sequence = rs.getLong(5);
					Long nullableSequence = rs.wasNull() ? null : sequence;
					return new DeadOutboxEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
							nullableSequence, rs.getString(6), instant(rs.getObject(7, LocalDateTime.class)),
							instant(rs.getObject(8, LocalDateTime.class)), rs.getInt(9), rs.getString(10));
				}, limit, offset);
	}

	@Override
	public boolean retry(long id) {
		return retried(this.jdbc.update(retrySql() + " AND id = ?", id)) > 0;
	}

	@Override
	public int retryAll() {
		return retried(this.jdbc.update(retrySql()));
	}

	private String retrySql() {
		return "UPDATE " + this.tables.events()
				+ " SET dead_at = NULL, next_attempt_at = NULL, attempts = 0 WHERE dead_at IS NOT NULL";
	}

	private int retried(int count) {
		if (count > 0) {
			this.afterRetry.run();
		}
		return count;
	}

	@Override
	public boolean discard(long id) {
		return this.jdbc.update("DELETE FROM " + this.tables.events() + " WHERE dead_at IS NOT NULL AND id = ?",
				id) > 0;
	}

	private static java.time.Instant instant(LocalDateTime timestamp) {
		return timestamp.toInstant(ZoneOffset.UTC);
	}

}
