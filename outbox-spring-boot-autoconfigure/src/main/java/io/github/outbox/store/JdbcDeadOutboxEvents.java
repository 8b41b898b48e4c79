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
import java.util.Map;

import javax.sql.DataSource;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.DeadOutboxEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link DeadOutboxEvents} on the outbox table. Retrying calls the given callback, so
 * that the relay can be woken at once.
 * <p>
 * A retried event that may follow later events of its key on the broker (with
 * {@code outbox.relay.on-dead=skip} they flowed past it) moves behind them with its key's
 * next sequence (see {@link OutboxStore#moveBehindTheirKeys}), so that a consumer
 * guarding on {@code ce_sequence} applies it instead of skipping it as stale. When dead
 * events block their key, nothing later went, and it keeps its place and sequence.
 *
 * @author Outbox contributors
 */
public class JdbcDeadOutboxEvents implements DeadOutboxEvents {

	private final JdbcTemplate jdbc;

	private final OutboxStore store;

	private final OutboxTables tables;

	private final TransactionTemplate transactionTemplate;

	private final Runnable afterRetry;

	/**
	 * Create an instance.
	 * @param dataSource the data source holding the outbox tables
	 * @param store the store of the outbox tables
	 * @param afterRetry called after events were made pending again
	 */
	public JdbcDeadOutboxEvents(DataSource dataSource, OutboxStore store, Runnable afterRetry) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(afterRetry, "'afterRetry' must not be null");
		this.jdbc = new JdbcTemplate(dataSource);
		this.store = store;
		this.tables = store.getTables();
		this.transactionTemplate = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.transactionTemplate.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		this.afterRetry = afterRetry;
	}

	@Override
	public long count() {
		Long count = this.jdbc
			.queryForObject("SELECT COUNT(*) FROM " + this.tables.events() + " WHERE dead_at IS NOT NULL", Long.class);
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
		boolean retried = retryInTransaction(id);
		if (retried) {
			this.afterRetry.run();
		}
		return retried;
	}

	/**
	 * Retry the dead events one by one, each in a transaction of its own, so that the
	 * sequence rows of their keys are never locked in an order that could deadlock with a
	 * writer.
	 */
	@Override
	public int retryAll() {
		List<Long> ids = this.jdbc.query(
				"SELECT id FROM " + this.tables.events() + " WHERE dead_at IS NOT NULL ORDER BY id",
				StoreSql.LONG_COLUMN);
		int retried = 0;
		for (Long id : ids) {
			if (retryInTransaction(id)) {
				retried++;
			}
		}
		if (retried > 0) {
			this.afterRetry.run();
		}
		return retried;
	}

	private boolean retryInTransaction(long id) {
		return Boolean.TRUE.equals(this.transactionTemplate.execute((status) -> {
			List<Map<String, @Nullable Object>> rows = this.jdbc
				.queryForList("SELECT topic, event_key, event_sequence FROM " + this.tables.events()
						+ " WHERE dead_at IS NOT NULL AND id = ? FOR UPDATE", id);
			if (rows.isEmpty()) {
				return false;
			}
			this.jdbc.update("UPDATE " + this.tables.events()
					+ " SET dead_at = NULL, next_attempt_at = NULL, attempts = 0 WHERE id = ?", id);
			Map<String, @Nullable Object> row = rows.get(0);
			Object topic = row.get("topic");
			Object key = row.get("event_key");
			Object sequence = row.get("event_sequence");
			Assert.state(topic != null, () -> "Dead event " + id + " has no topic");
			if (key != null && sequence != null && this.store
				.mayFollowLaterEvents(new SequenceKey((String) topic, (String) key), ((Number) sequence).longValue())) {
				this.store.moveBehindTheirKeys(List.of(id));
			}
			return true;
		}));
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
