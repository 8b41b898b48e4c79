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

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import io.github.outbox.store.OutboxDialect;
import io.github.outbox.store.OutboxTables;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * JDBC access to the inbox tables. Every method runs on the current transaction's
 * connection, so that the inbox row commits or rolls back with the consumer's side
 * effects.
 *
 * @author Outbox contributors
 */
public class InboxStore {

	private final JdbcTemplate jdbc;

	private final String table;

	private final String sequenceTable;

	private final String insertSql;

	/**
	 * Create a store.
	 * @param dataSource the data source of the inbox tables
	 * @param table the name of the table of processed events
	 */
	public InboxStore(DataSource dataSource, String table) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.isTrue(OutboxTables.isValidName(table), () -> "'" + table
				+ "' is not a valid table name: use letters, digits and underscores, starting with a letter or underscore, at most "
				+ OutboxTables.MAX_NAME_LENGTH + " characters");
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = table;
		this.sequenceTable = table + "_sequence";
		String columns = " (consumer, event_id, topic, event_key, event_sequence, processed_at) VALUES (?, ?, ?, ?, ?, ?)";
		// PostgreSQL aborts the transaction on a duplicate key; the others fail the
		// statement only. Not INSERT IGNORE: it would truncate and convert where it
		// should fail
		this.insertSql = "INSERT INTO " + table + columns
				+ ("postgresql".equals(OutboxDialect.of(dataSource).name()) ? " ON CONFLICT DO NOTHING" : "");
	}

	/**
	 * Return the name of the table of processed events.
	 * @return the table name
	 */
	public String getTable() {
		return this.table;
	}

	/**
	 * Record that the given consumer processes the given event, unless it already did. A
	 * concurrent transaction recording the same event makes this one wait until it ends.
	 * @param consumer the consumer
	 * @param event the event
	 * @param now the time of processing
	 * @return {@code true} if recorded, {@code false} if the event was processed before
	 */
	public boolean record(String consumer, InboxEvent event, Instant now) {
		try {
			return this.jdbc.update(this.insertSql, consumer, event.id(), event.topic(), event.key(), event.sequence(),
					LocalDateTime.ofInstant(now, ZoneOffset.UTC)) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Return the last sequence the given consumer applied for a topic and key, locking it
	 * until the transaction ends.
	 * @param consumer the consumer
	 * @param topic the topic
	 * @param key the key
	 * @return the last applied sequence, or {@code null} if none
	 */
	public @Nullable Long lockLastSequence(String consumer, String topic, String key) {
		List<Long> last = this.jdbc.query(
				"SELECT last_sequence FROM " + this.sequenceTable
						+ " WHERE consumer = ? AND topic = ? AND event_key = ? FOR UPDATE",
				(rs, rowNum) -> rs.getLong(1), consumer, topic, key);
		return last.isEmpty() ? null : last.get(0);
	}

	/**
	 * Store the last sequence the given consumer applied for a topic and key.
	 * @param consumer the consumer
	 * @param topic the topic
	 * @param key the key
	 * @param sequence the sequence
	 * @param exists whether a row exists already (see {@link #lockLastSequence})
	 */
	public void saveLastSequence(String consumer, String topic, String key, long sequence, boolean exists) {
		if (exists) {
			this.jdbc.update(
					"UPDATE " + this.sequenceTable
							+ " SET last_sequence = ? WHERE consumer = ? AND topic = ? AND event_key = ?",
					sequence, consumer, topic, key);
		}
		else {
			this.jdbc.update(
					"INSERT INTO " + this.sequenceTable
							+ " (consumer, topic, event_key, last_sequence) VALUES (?, ?, ?, ?)",
					consumer, topic, key, sequence);
		}
	}

	/**
	 * Delete up to {@code limit} processed events recorded before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of rows to delete
	 * @return the number of rows deleted
	 */
	public int purge(Instant before, int limit) {
		List<Object[]> keys = this.jdbc.query(
				"SELECT consumer, event_id FROM " + this.table
						+ " WHERE processed_at < ? ORDER BY processed_at LIMIT ?",
				(rs, row) -> new Object[] { rs.getString(1), rs.getString(2) },
				LocalDateTime.ofInstant(before, ZoneOffset.UTC), limit);
		if (keys.isEmpty()) {
			return 0;
		}
		this.jdbc.batchUpdate("DELETE FROM " + this.table + " WHERE consumer = ? AND event_id = ?", keys);
		return keys.size();
	}

	/**
	 * Count the processed events recorded for the given consumer.
	 * @param consumer the consumer
	 * @return the count
	 */
	public long count(String consumer) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.table + " WHERE consumer = ?", Long.class,
				consumer);
		return (count != null) ? count : 0;
	}

}
