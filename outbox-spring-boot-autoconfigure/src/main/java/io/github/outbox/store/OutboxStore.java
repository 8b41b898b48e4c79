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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Reads and writes the outbox tables. Every method works in the transaction bound to the
 * calling thread: {@link #insert(List)} in the business transaction that published the
 * events, the relay methods in the relay's own transaction.
 * <p>
 * Times are stored as UTC timestamps and always come from the application's clock, so
 * that the database's time zone never matters.
 *
 * @author Outbox contributors
 */
public class OutboxStore {

	private static final String COLUMNS = "id, event_id, lane, topic, event_key, event_sequence, event_type, payload, headers, created_at, attempts";

	private static final int MAX_ERROR_LENGTH = 2000;

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	private final JdbcTemplate jdbc;

	private final OutboxDialect dialect;

	private final OutboxTables tables;

	private final int lanes;

	private final boolean deadEventsBlockTheirKey;

	private final String insertSql;

	private final String selectSql;

	private final String markFailedSql;

	private final String markDeadSql;

	/**
	 * Create a store.
	 * @param dataSource the data source holding the outbox tables
	 * @param dialect the dialect of the database
	 * @param tables the outbox tables
	 * @param lanes the number of lanes, a constant of the deployment
	 * @param deadEventsBlockTheirKey whether the later events of a key with a dead event
	 * wait until it is retried or discarded
	 */
	public OutboxStore(DataSource dataSource, OutboxDialect dialect, OutboxTables tables, int lanes,
			boolean deadEventsBlockTheirKey) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(dialect, "'dialect' must not be null");
		Assert.notNull(tables, "'tables' must not be null");
		Assert.isTrue(lanes > 0, "'lanes' must be positive");
		this.jdbc = new JdbcTemplate(dataSource);
		this.dialect = dialect;
		this.tables = tables;
		this.lanes = lanes;
		this.deadEventsBlockTheirKey = deadEventsBlockTheirKey;
		this.insertSql = "INSERT INTO " + tables.events()
				+ " (event_id, lane, topic, event_key, event_sequence, event_type, payload, headers, created_at, attempts)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
		this.selectSql = "SELECT " + COLUMNS + " FROM " + tables.events() + " e WHERE %s"
				+ "e.dead_at IS NULL AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?) AND NOT EXISTS ("
				+ "SELECT 1 FROM " + tables.events() + " w WHERE w.topic = e.topic AND w.event_key = e.event_key"
				+ " AND w.id < e.id AND (w.next_attempt_at > ?"
				+ (deadEventsBlockTheirKey ? " OR w.dead_at IS NOT NULL" : "") + ")) ORDER BY e.id LIMIT ?";
		this.markFailedSql = "UPDATE " + tables.events()
				+ " SET attempts = attempts + ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
		this.markDeadSql = "UPDATE " + tables.events()
				+ " SET attempts = attempts + 1, next_attempt_at = NULL, dead_at = ?, last_error = ? WHERE id = ?";
	}

	/**
	 * Return the dialect of the database.
	 * @return the dialect
	 */
	public OutboxDialect getDialect() {
		return this.dialect;
	}

	/**
	 * Return the outbox tables.
	 * @return the tables
	 */
	public OutboxTables getTables() {
		return this.tables;
	}

	/**
	 * Whether the later events of a key with a dead event wait until it is retried or
	 * discarded.
	 * @return {@code true} if dead events block their key
	 */
	public boolean isDeadEventsBlockTheirKey() {
		return this.deadEventsBlockTheirKey;
	}

	/**
	 * Return the number of lanes.
	 * @return the lane count
	 */
	public int getLanes() {
		return this.lanes;
	}

	/**
	 * Write the given events with one JDBC batch, after taking the next sequence numbers
	 * of their keys. Taking the sequences locks each key's sequence row until the
	 * transaction ends, so rows of one key are numbered in commit order.
	 * @param messages the events, in publication order
	 */
	public void insert(List<OutboxMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		Long[] sequences = assignSequences(messages);
		this.jdbc.batchUpdate(this.insertSql, new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement ps, int i) throws SQLException {
				OutboxMessage message = messages.get(i);
				ps.setString(1, message.eventId().toString());
				ps.setInt(2, Lanes.laneOf(message.key(), message.eventId(), OutboxStore.this.lanes));
				ps.setString(3, message.topic());
				ps.setString(4, message.key());
				Long sequence = sequences[i];
				if (sequence != null) {
					ps.setLong(5, sequence);
				}
				else {
					ps.setNull(5, Types.BIGINT);
				}
				ps.setString(6, message.type());
				ps.setBytes(7, message.payload());
				ps.setString(8, HeaderCodec.encode(message.headers()));
				ps.setObject(9, toTimestamp(message.createdAt()));
			}

			@Override
			public int getBatchSize() {
				return messages.size();
			}

		});
	}

	private Long[] assignSequences(List<OutboxMessage> messages) {
		Long[] sequences = new Long[messages.size()];
		SortedMap<SequenceKey, Integer> counts = new TreeMap<>();
		for (OutboxMessage message : messages) {
			if (message.key() != null) {
				counts.merge(new SequenceKey(message.topic(), message.key()), 1, Integer::sum);
			}
		}
		if (counts.isEmpty()) {
			return sequences;
		}
		Map<SequenceKey, Long> last = this.dialect.incrementSequences(this.jdbc, this.tables, counts);
		Map<SequenceKey, Long> next = new HashMap<>();
		counts.forEach((key, count) -> {
			Long lastSequence = last.get(key);
			Assert.state(lastSequence != null, () -> "No sequence returned for " + key);
			next.put(key, lastSequence - count + 1);
		});
		for (int i = 0; i < sequences.length; i++) {
			OutboxMessage message = messages.get(i);
			if (message.key() != null) {
				sequences[i] = next.merge(new SequenceKey(message.topic(), message.key()), 1L, Long::sum) - 1;
			}
		}
		return sequences;
	}

	/**
	 * Prepare the current transaction for a relay batch, for example to plan its
	 * statements for the current size of the table.
	 */
	public void beforeRelayBatch() {
		this.dialect.beforeRelayBatch(this.jdbc);
	}

	/**
	 * Count the events stored for lanes beyond the configured lane count, left behind when
	 * the lane count was lowered without draining the table first.
	 * @return the number of such events
	 */
	public long countEventsBeyondLanes() {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.tables.events() + " WHERE lane >= ?",
				Long.class, this.lanes);
		return (count != null) ? count : 0;
	}

	/**
	 * Read the next events to send from the given lanes, in table order. Events waiting
	 * for a retry are left out, and so are the later events of their key; dead events are
	 * left out, and so are the later events of their key if dead events block it.
	 * @param lanes the lanes to read, or {@code null} for all
	 * @param now the current time
	 * @param limit the maximum number of events
	 * @return the events
	 */
	public List<OutboxRecord> fetch(@Nullable Collection<Integer> lanes, Instant now, int limit) {
		List<Object> arguments = new ArrayList<>();
		String laneCondition = "";
		if (lanes != null) {
			laneCondition = "e.lane IN (" + lanes.stream().map((lane) -> "?").collect(Collectors.joining(", "))
					+ ") AND ";
			arguments.addAll(lanes);
		}
		LocalDateTime timestamp = toTimestamp(now);
		arguments.add(timestamp);
		arguments.add(timestamp);
		arguments.add(limit);
		return this.jdbc.query(this.selectSql.formatted(laneCondition), this::mapRecord, arguments.toArray());
	}

	private OutboxRecord mapRecord(ResultSet rs, int row) throws SQLException {
		long sequence = rs.getLong(6);
		Long nullableSequence = rs.wasNull() ? null : sequence;
		return new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
				nullableSequence, rs.getString(7), rs.getBytes(8), HeaderCodec.decode(rs.getString(9)),
				rs.getObject(10, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getInt(11));
	}

	/**
	 * Delete the given events.
	 * @param ids the ids of the events
	 */
	public void delete(Collection<Long> ids) {
		List<Long> remaining = new ArrayList<>(ids);
		for (int from = 0; from < remaining.size(); from += MAX_IDS_PER_STATEMENT) {
			List<Long> chunk = remaining.subList(from, Math.min(remaining.size(), from + MAX_IDS_PER_STATEMENT));
			this.jdbc.update("DELETE FROM " + this.tables.events() + " WHERE id IN ("
					+ chunk.stream().map((id) -> "?").collect(Collectors.joining(", ")) + ")", chunk.toArray());
		}
	}

	/**
	 * Record a failed send attempt for each of the given events: when to try again, the
	 * error and, if the attempt counts, one more attempt.
	 * @param failures the failures
	 */
	public void markFailed(List<Failure> failures) {
		this.jdbc.batchUpdate(this.markFailedSql, failures, failures.size(), (ps, failure) -> {
			ps.setInt(1, failure.counted() ? 1 : 0);
			ps.setObject(2, toTimestamp(failure.nextAttemptAt()));
			ps.setString(3, abbreviate(failure.error()));
			ps.setLong(4, failure.id());
		});
	}

	/**
	 * Record the last, failed, send attempt of each of the given events, which are dead
	 * from now on: kept with their error and no longer sent until retried or discarded.
	 * @param failures the failures
	 * @param now the time of death
	 */
	public void markDead(List<Failure> failures, Instant now) {
		this.jdbc.batchUpdate(this.markDeadSql, failures, failures.size(), (ps, failure) -> {
			ps.setObject(1, toTimestamp(now));
			ps.setString(2, abbreviate(failure.error()));
			ps.setLong(3, failure.id());
		});
	}

	private static String abbreviate(String error) {
		return (error.length() <= MAX_ERROR_LENGTH) ? error : error.substring(0, MAX_ERROR_LENGTH);
	}

	static LocalDateTime toTimestamp(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * A failed send attempt.
	 *
	 * @param id the id of the event
	 * @param nextAttemptAt when to try again (ignored for dead events)
	 * @param error description of the failure
	 * @param counted whether the attempt counts towards the maximum, {@code false} when
	 * the destination was unavailable
	 */
	public record Failure(long id, Instant nextAttemptAt, String error, boolean counted) {

	}

}
