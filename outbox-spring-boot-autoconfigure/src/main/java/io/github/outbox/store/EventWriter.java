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

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * The capture's part of the {@link OutboxStore}: writes the events of a transaction, each
 * with the next sequence of its key.
 *
 * @author Outbox contributors
 */
final class EventWriter {

	private final JdbcTemplate jdbc;

	private final OutboxDialect dialect;

	private final OutboxTables tables;

	private final int lanes;

	private final boolean notifyRelays;

	private final String insertSql;

	private final @Nullable String[] insertWithSequencesSql = new String[17];

	private final @Nullable String insertOneWithSequenceSql;

	EventWriter(JdbcTemplate jdbc, OutboxDialect dialect, OutboxTables tables, int lanes, boolean notifyRelays) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.tables = tables;
		this.lanes = lanes;
		this.notifyRelays = notifyRelays;
		this.insertSql = "INSERT INTO " + tables.events()
				+ " (event_id, lane, topic, event_key, event_type, payload, headers, created_at, event_sequence, attempts)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
		this.insertOneWithSequenceSql = notifyRelays ? null : dialect.insertOneWithSequence(tables);
	}

	/**
	 * Write the given events, after taking the next sequence numbers of their keys, with
	 * one statement where the dialect can, otherwise with one JDBC batch. Taking the
	 * sequences locks each key's sequence row until the transaction ends, so rows of one
	 * key are numbered in commit order.
	 * @param messages the events, in publication order
	 */
	void insert(List<OutboxMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		if (messages.size() == 1 && messages.get(0).key() != null && this.insertOneWithSequenceSql != null) {
			insertOneWithSequence(this.insertOneWithSequenceSql, messages.get(0));
			return;
		}
		String sql = insertWithSequencesSql(messages.size());
		if (sql != null) {
			insertWithSequences(sql, messages);
			return;
		}
		Long[] sequences = Sequences.assign(this.jdbc, this.dialect, this.tables, messages);
		this.jdbc.batchUpdate(this.insertSql, new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement ps, int i) throws SQLException {
				int index = bindEvent(ps, 1, messages.get(i));
				Long sequence = sequences[i];
				if (sequence != null) {
					ps.setLong(index, sequence);
				}
				else {
					ps.setNull(index, Types.BIGINT);
				}
			}

			@Override
			public int getBatchSize() {
				return messages.size();
			}

		});
		if (this.notifyRelays) {
			this.dialect.notifyRelays(this.jdbc, this.tables);
		}
	}

	/**
	 * The dialect's statement writing the given number of events with their sequences,
	 * the same {@code String} instance each time for the usual counts: the driver looks
	 * its prepared statement up by the text, and a text built anew for every transaction
	 * is hashed and compared in full, about a thousand characters for one event.
	 */
	private @Nullable String insertWithSequencesSql(int count) {
		if (count >= this.insertWithSequencesSql.length) {
			return this.dialect.insertWithSequences(this.tables, count, this.notifyRelays);
		}
		String sql = this.insertWithSequencesSql[count];
		if (sql == null) {
			sql = this.dialect.insertWithSequences(this.tables, count, this.notifyRelays);
			this.insertWithSequencesSql[count] = sql;
		}
		return sql;
	}

	private void insertOneWithSequence(String sql, OutboxMessage message) {
		// the statement takes the topic and the key first, for the key's sequence
		int written = this.jdbc.update(sql, (ps) -> bindColumns(ps, 3, 1, 5, message));
		Assert.state(written == 1, () -> "Wrote " + written + " of 1 event");
	}

	private void insertWithSequences(String sql, List<OutboxMessage> messages) {
		Map<SequenceKey, Integer> counts = new HashMap<>();
		SequenceKey[] keys = new SequenceKey[messages.size()];
		int[] offsets = new int[keys.length];
		for (int i = 0; i < keys.length; i++) {
			OutboxMessage message = messages.get(i);
			if (message.key() != null) {
				keys[i] = new SequenceKey(message.topic(), message.key());
				offsets[i] = counts.merge(keys[i], 1, Integer::sum) - 1;
			}
		}
		long written = this.jdbc.query(sql, (ps) -> {
			int index = 1;
			for (int i = 0; i < keys.length; i++) {
				index = bindEvent(ps, index, messages.get(i));
				ps.setInt(index++, offsets[i]);
				Integer count = (keys[i] != null) ? counts.get(keys[i]) : null;
				ps.setInt(index++, (count != null) ? count : 0);
			}
		}, (rs) -> rs.next() ? rs.getLong(1) : 0L);
		Assert.state(written == messages.size(), () -> "Wrote " + written + " of " + messages.size() + " events");
	}

	/**
	 * Bind the columns of the given event that do not depend on the other events: its id,
	 * lane, topic, key, type, payload, headers and creation time.
	 * @param ps the statement
	 * @param index the index of the first parameter
	 * @param message the event
	 * @return the index of the next parameter
	 * @throws SQLException if a parameter cannot be bound
	 */
	int bindEvent(PreparedStatement ps, int index, OutboxMessage message) throws SQLException {
		bindColumns(ps, index, index + 2, index + 4, message);
		return index + 8;
	}

	/**
	 * Bind the columns of {@link #bindEvent} in three pairs that may come in any order.
	 * @param ps the statement
	 * @param idIndex the index of the id, followed by the lane
	 * @param topicIndex the index of the topic, followed by the key
	 * @param typeIndex the index of the type, followed by the payload, the headers and
	 * the creation time
	 * @param message the event
	 * @throws SQLException if a parameter cannot be bound
	 */
	private void bindColumns(PreparedStatement ps, int idIndex, int topicIndex, int typeIndex, OutboxMessage message)
			throws SQLException {
		ps.setString(idIndex, message.eventId().toString());
		ps.setInt(idIndex + 1, Lanes.laneOf(message.key(), message.eventId(), this.lanes));
		ps.setString(topicIndex, message.topic());
		ps.setString(topicIndex + 1, message.key());
		ps.setString(typeIndex, message.type());
		ps.setBytes(typeIndex + 1, message.payload());
		ps.setString(typeIndex + 2, HeaderCodec.encode(message.headers()));
		ps.setObject(typeIndex + 3, StoreSql.toTimestamp(message.createdAt()));
	}

}
