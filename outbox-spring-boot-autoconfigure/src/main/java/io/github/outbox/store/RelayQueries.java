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

import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.store.OutboxStore.Failure;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;
import org.springframework.util.Assert;

/**
 * The relay's part of the {@link OutboxStore}: reads the next events of its lanes, and
 * settles a batch: removes the acknowledged events, records failed attempts and dead
 * events, and moves events sent again behind the other events of their keys.
 *
 * @author Outbox contributors
 */
final class RelayQueries {

	// the store's log category, where operators look for moved events
	private static final Log logger = LogFactory.getLog(OutboxStore.class);

	// read by position in mapRecord
	private static final String COLUMNS = "id, event_id, lane, topic, event_key, event_sequence, event_type, payload, headers, created_at, attempts";

	private static final int MAX_ERROR_LENGTH = 2000;

	private final JdbcTemplate jdbc;

	private final OutboxDialect dialect;

	private final OutboxTables tables;

	private final int lanes;

	private final boolean deadEventsBlockTheirKey;

	private final boolean keepPublished;

	private final String selectSql;

	private final String markFailedSql;

	private final String markDeadSql;

	private final String moveSql;

	RelayQueries(JdbcTemplate jdbc, OutboxDialect dialect, OutboxTables tables, OutboxStore.Settings settings) {
		this.jdbc = jdbc;
		this.dialect = dialect;
		this.tables = tables;
		this.lanes = settings.lanes();
		this.deadEventsBlockTheirKey = settings.deadEventsBlockTheirKey();
		this.keepPublished = settings.keepPublished();
		this.selectSql = "SELECT " + COLUMNS + " FROM " + tables.events() + " e WHERE %s"
				+ "e.dead_at IS NULL AND e.published_at IS NULL AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?) AND NOT EXISTS ("
				+ "SELECT 1 FROM " + tables.events() + " w WHERE w.topic = e.topic AND w.event_key = e.event_key"
				+ " AND w.id < e.id AND (w.next_attempt_at > ?"
				+ (this.deadEventsBlockTheirKey ? " OR w.dead_at IS NOT NULL" : "") + ")) ORDER BY e.id LIMIT ?";
		this.markFailedSql = "UPDATE " + tables.events()
				+ " SET attempts = attempts + ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
		this.markDeadSql = "UPDATE " + tables.events()
				+ " SET attempts = attempts + 1, next_attempt_at = NULL, dead_at = ?, last_error = ? WHERE id = ?";
		String moved = "event_id, lane, topic, event_key, event_type, payload, headers, created_at, %s, attempts, next_attempt_at, last_error, dead_at";
		this.moveSql = "INSERT INTO " + tables.events() + " (" + moved.formatted("event_sequence") + ") SELECT "
				+ moved.formatted("?") + " FROM " + tables.events() + " WHERE id = ?";
	}

	/**
	 * Count the events stored for lanes beyond the configured lane count, left behind
	 * when the lane count was lowered without draining the table first.
	 * @return the number of such events
	 */
	long countEventsBeyondLanes() {
		Long count = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.tables.events() + " WHERE lane >= ? AND published_at IS NULL",
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
	List<OutboxRecord> fetch(@Nullable Collection<Integer> lanes, Instant now, int limit) {
		List<Object> arguments = new ArrayList<>();
		String laneCondition = "";
		if (lanes != null) {
			laneCondition = "e.lane IN (" + StoreSql.placeholders(lanes.size()) + ") AND ";
			arguments.addAll(lanes);
		}
		LocalDateTime timestamp = StoreSql.toTimestamp(now);
		arguments.add(timestamp);
		arguments.add(timestamp);
		arguments.add(limit);
		String sql = this.selectSql.formatted(laneCondition);
		List<OutboxRecord> records = this.jdbc.query((connection) -> {
			PreparedStatement statement = connection.prepareStatement(sql);
			this.dialect.prepareRelayRead(statement);
			return statement;
		}, new ArgumentPreparedStatementSetter(arguments.toArray()),
				new RowMapperResultSetExtractor<>(RelayQueries::mapRecord));
		return (records != null) ? records : List.of();
	}

	/**
	 * Map a row of {@link #COLUMNS} by position: a lookup by name costs a map lookup per
	 * column and row, a tenth of the relay's time spent reading a batch.
	 */
	private static OutboxRecord mapRecord(ResultSet rs, int row) throws SQLException {
		long sequence = rs.getLong(6);
		Long nullableSequence = rs.wasNull() ? null : sequence;
		return new OutboxRecord(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
				nullableSequence, rs.getString(7), rs.getBytes(8), HeaderCodec.decode(rs.getString(9)),
				rs.getObject(10, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getInt(11));
	}

	/**
	 * Remove the given acknowledged events: delete them, or mark them published if
	 * published events are kept for a while.
	 * @param ids the ids of the events
	 * @param now the time of publication
	 */
	void published(Collection<Long> ids, Instant now) {
		if (this.keepPublished) {
			Object timestamp = StoreSql.toTimestamp(now);
			StoreSql.forEachChunk(ids, (chunk) -> {
				List<Object> arguments = new ArrayList<>(chunk.size() + 1);
				arguments.add(timestamp);
				arguments.addAll(chunk);
				this.jdbc.update("UPDATE " + this.tables.events() + " SET published_at = ?, next_attempt_at = NULL"
						+ " WHERE id IN (" + StoreSql.placeholders(chunk.size()) + ")", arguments.toArray());
			});
		}
		else {
			delete(ids);
		}
	}

	/**
	 * Delete the given events.
	 * @param ids the ids of the events
	 */
	void delete(Collection<Long> ids) {
		if (ids.isEmpty() || this.dialect.deleteByIds(this.jdbc, this.tables, ids)) {
			return;
		}
		StoreSql.forEachChunk(ids, (chunk) -> this.jdbc.update(
				"DELETE FROM " + this.tables.events() + " WHERE id IN (" + StoreSql.placeholders(chunk.size()) + ")",
				chunk.toArray()));
	}

	/**
	 * Move the given events behind the other events of their keys, for events sent again
	 * after a later event of their key was acknowledged: a consumer guarding on
	 * {@code ce_sequence} would skip them as stale with their own sequence. Each event
	 * gets the next sequence of its key, taken as {@link #insert(List)} takes it (the
	 * key's sequence row stays locked until the transaction ends), and a new row id, so
	 * that it follows the events of its key written before; it keeps its event id,
	 * attempts, next attempt, error and death. The key's order is broken for that event,
	 * and each move is logged.
	 * @param ids the ids of the events, each with a key, in the order they keep
	 */
	void moveBehindTheirKeys(List<Long> ids) {
		if (ids.isEmpty()) {
			return;
		}
		Map<Long, Moving> events = new HashMap<>();
		StoreSql.forEachChunk(ids, (chunk) -> this.jdbc.query(
				"SELECT id, event_id, topic, event_key, event_sequence FROM " + this.tables.events()
						+ " WHERE event_key IS NOT NULL AND id IN (" + StoreSql.placeholders(chunk.size()) + ")",
				(rs) -> {
					events.put(rs.getLong(1), new Moving(rs.getString(2),
							new SequenceKey(rs.getString(3), rs.getString(4)), rs.getLong(5)));
				}, chunk.toArray()));
		SortedMap<SequenceKey, Integer> counts = new TreeMap<>();
		List<Moving> moving = new ArrayList<>(ids.size());
		for (Long id : ids) {
			Moving event = events.get(id);
			Assert.state(event != null, () -> "No event with a key has id " + id);
			counts.merge(event.key(), 1, Integer::sum);
			moving.add(event);
		}
		Map<SequenceKey, Long> next = Sequences.next(this.jdbc, this.dialect, this.tables, counts);
		for (int i = 0; i < ids.size(); i++) {
			Long id = ids.get(i);
			Moving event = moving.get(i);
			long sequence = next.merge(event.key(), 1L, Long::sum) - 1;
			this.jdbc.update(this.moveSql, sequence, id);
			this.jdbc.update("DELETE FROM " + this.tables.events() + " WHERE id = ?", id);
			logger.warn("Outbox event " + event.eventId() + " of key '" + event.key().key() + "' on topic '"
					+ event.key().topic() + "' is sent again after a later event of its key was acknowledged: its "
					+ "sequence changes from " + event.sequence() + " to " + sequence
					+ ", so that a consumer guarding on "
					+ "ce_sequence applies it, out of order, instead of skipping it as stale");
		}
	}

	/**
	 * Whether an event of the given key and sequence, when sent, may follow a later event
	 * of its key that reached the broker before. When dead events block their key, that
	 * is when a later event left the table (it was sent behind the event in its last
	 * batch); otherwise whenever the key has later events, which flow past a dead event.
	 * @param key the key
	 * @param sequence the sequence of the event
	 * @return whether a later event may have been sent
	 */
	boolean mayFollowLaterEvents(SequenceKey key, long sequence) {
		List<Long> last = this.jdbc.query(
				"SELECT last_sequence FROM " + this.tables.sequences() + " WHERE topic = ? AND event_key = ?",
				StoreSql.LONG_COLUMN, key.topic(), key.key());
		if (last.isEmpty() || last.get(0) <= sequence) {
			return false;
		}
		if (!this.deadEventsBlockTheirKey) {
			return true;
		}
		Long waiting = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.tables.events()
						+ " WHERE topic = ? AND event_key = ? AND event_sequence > ? AND published_at IS NULL",
				Long.class, key.topic(), key.key(), sequence);
		return waiting == null || waiting < last.get(0) - sequence;
	}

	private record Moving(String eventId, SequenceKey key, long sequence) {

	}

	/**
	 * Record a failed send attempt for each of the given events: when to try again, the
	 * error and, if the attempt counts, one more attempt.
	 * @param failures the failures
	 */
	void markFailed(List<Failure> failures) {
		this.jdbc.batchUpdate(this.markFailedSql, failures, failures.size(), (ps, failure) -> {
			ps.setInt(1, failure.counted() ? 1 : 0);
			ps.setObject(2, StoreSql.toTimestamp(failure.nextAttemptAt()));
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
	void markDead(List<Failure> failures, Instant now) {
		this.jdbc.batchUpdate(this.markDeadSql, failures, failures.size(), (ps, failure) -> {
			ps.setObject(1, StoreSql.toTimestamp(now));
			ps.setString(2, abbreviate(failure.error()));
			ps.setLong(3, failure.id());
		});
	}

	private static String abbreviate(String error) {
		return (error.length() <= MAX_ERROR_LENGTH) ? error : error.substring(0, MAX_ERROR_LENGTH);
	}

}
