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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
public class OutboxStore implements OutboxWriter {

	private static final Log logger = LogFactory.getLog(OutboxStore.class);

	private static final String COLUMNS = "id, event_id, lane, topic, event_key, event_sequence, event_type, payload, headers, created_at, attempts";

	private static final int MAX_ERROR_LENGTH = 2000;

	private static final int MAX_IDS_PER_STATEMENT = 1000;

	/**
	 * Condition of events published before a time.
	 */
	static final String PUBLISHED_BEFORE = "published_at IS NOT NULL AND published_at < ?";

	/**
	 * Condition of events dead before a time.
	 */
	static final String DEAD_BEFORE = "dead_at IS NOT NULL AND dead_at < ?";

	private final JdbcTemplate jdbc;

	private final OutboxDialect dialect;

	private final OutboxTables tables;

	private final int lanes;

	private final boolean deadEventsBlockTheirKey;

	private final boolean keepPublished;

	private final String insertSql;

	private volatile boolean notifyRelays;

	private final String selectSql;

	private final String markFailedSql;

	private final String markDeadSql;

	private final String moveSql;

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
		this(dataSource, dialect, tables, lanes, deadEventsBlockTheirKey, false);
	}

	/**
	 * Create a store.
	 * @param dataSource the data source holding the outbox tables
	 * @param dialect the dialect of the database
	 * @param tables the outbox tables
	 * @param lanes the number of lanes, a constant of the deployment
	 * @param deadEventsBlockTheirKey whether the later events of a key with a dead event
	 * wait until it is retried or discarded
	 * @param keepPublished whether acknowledged events are marked published, to be purged
	 * later, instead of deleted at once
	 */
	public OutboxStore(DataSource dataSource, OutboxDialect dialect, OutboxTables tables, int lanes,
			boolean deadEventsBlockTheirKey, boolean keepPublished) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(dialect, "'dialect' must not be null");
		Assert.notNull(tables, "'tables' must not be null");
		Assert.isTrue(lanes > 0, "'lanes' must be positive");
		this.jdbc = new JdbcTemplate(dataSource);
		this.dialect = dialect;
		this.tables = tables;
		this.lanes = lanes;
		this.deadEventsBlockTheirKey = deadEventsBlockTheirKey;
		this.keepPublished = keepPublished;
		this.insertSql = "INSERT INTO " + tables.events()
				+ " (event_id, lane, topic, event_key, event_type, payload, headers, created_at, event_sequence, attempts)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
		this.selectSql = "SELECT " + COLUMNS + " FROM " + tables.events() + " e WHERE %s"
				+ "e.dead_at IS NULL AND e.published_at IS NULL AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?) AND NOT EXISTS ("
				+ "SELECT 1 FROM " + tables.events() + " w WHERE w.topic = e.topic AND w.event_key = e.event_key"
				+ " AND w.id < e.id AND (w.next_attempt_at > ?"
				+ (deadEventsBlockTheirKey ? " OR w.dead_at IS NOT NULL" : "") + ")) ORDER BY e.id LIMIT ?";
		this.markFailedSql = "UPDATE " + tables.events()
				+ " SET attempts = attempts + ?, next_attempt_at = ?, last_error = ? WHERE id = ?";
		this.markDeadSql = "UPDATE " + tables.events()
				+ " SET attempts = attempts + 1, next_attempt_at = NULL, dead_at = ?, last_error = ? WHERE id = ?";
		String moved = "event_id, lane, topic, event_key, event_type, payload, headers, created_at, %s, attempts, next_attempt_at, last_error, dead_at";
		this.moveSql = "INSERT INTO " + tables.events() + " (" + moved.formatted("event_sequence") + ") SELECT "
				+ moved.formatted("?") + " FROM " + tables.events() + " WHERE id = ?";
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
	 * Set whether writing events notifies the relays of other instances at commit
	 * (PostgreSQL {@code NOTIFY} in the writing transaction), so that they do not wait for
	 * their next poll. The auto-configuration leaves this off and notifies after the
	 * commit instead, with {@link #notifyRelaysNow()}.
	 * @param notifyRelays whether to notify
	 */
	public void setNotifyRelays(boolean notifyRelays) {
		this.notifyRelays = notifyRelays && this.dialect.canNotifyRelays();
	}

	/**
	 * Notify the relays of other instances now, outside any transaction of the calling
	 * thread's (PostgreSQL {@code NOTIFY}); nothing where the database cannot notify.
	 */
	public void notifyRelaysNow() {
		if (this.dialect.canNotifyRelays()) {
			this.dialect.notifyRelays(this.jdbc, this.tables);
		}
	}

	/**
	 * Write the given events, after taking the next sequence numbers of their keys, with
	 * one statement where the dialect can, otherwise with one JDBC batch. Taking the
	 * sequences locks each key's sequence row until the transaction ends, so rows of one
	 * key are numbered in commit order.
	 * @param messages the events, in publication order
	 */
	@Override
	public void insert(List<OutboxMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		String sql = this.dialect.insertWithSequences(this.tables, messages.size(), this.notifyRelays);
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
		Long written = this.jdbc.query(sql, (ps) -> {
			int index = 1;
			for (int i = 0; i < keys.length; i++) {
				index = bindEvent(ps, index, messages.get(i));
				ps.setInt(index++, offsets[i]);
				ps.setInt(index++, (keys[i] != null) ? counts.get(keys[i]) : 0);
			}
		}, (rs) -> rs.next() ? rs.getLong(1) : null);
		Assert.state(written != null && written == messages.size(),
				() -> "Wrote " + written + " of " + messages.size() + " events");
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
		ps.setString(index, message.eventId().toString());
		ps.setInt(index + 1, Lanes.laneOf(message.key(), message.eventId(), this.lanes));
		ps.setString(index + 2, message.topic());
		ps.setString(index + 3, message.key());
		ps.setString(index + 4, message.type());
		ps.setBytes(index + 5, message.payload());
		ps.setString(index + 6, HeaderCodec.encode(message.headers()));
		ps.setObject(index + 7, toTimestamp(message.createdAt()));
		return index + 8;
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
	public List<OutboxRecord> fetch(@Nullable Collection<Integer> lanes, Instant now, int limit) {
		List<Object> arguments = new ArrayList<>();
		String laneCondition = "";
		if (lanes != null) {
			laneCondition = "e.lane IN (" + placeholders(lanes.size())
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
	 * Remove the given acknowledged events: delete them, or mark them published if
	 * published events are kept for a while.
	 * @param ids the ids of the events
	 * @param now the time of publication
	 */
	public void published(Collection<Long> ids, Instant now) {
		if (this.keepPublished) {
			Object timestamp = toTimestamp(now);
			forEachChunk(ids, (chunk) -> {
				List<Object> arguments = new ArrayList<>(chunk.size() + 1);
				arguments.add(timestamp);
				arguments.addAll(chunk);
				this.jdbc.update("UPDATE " + this.tables.events() + " SET published_at = ?, next_attempt_at = NULL"
						+ " WHERE id IN (" + placeholders(chunk.size()) + ")", arguments.toArray());
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
	public void delete(Collection<Long> ids) {
		if (ids.isEmpty() || this.dialect.deleteByIds(this.jdbc, this.tables, ids)) {
			return;
		}
		forEachChunk(ids, (chunk) -> this.jdbc.update(
				"DELETE FROM " + this.tables.events() + " WHERE id IN (" + placeholders(chunk.size()) + ")",
				chunk.toArray()));
	}

	private static void forEachChunk(Collection<Long> ids, Consumer<List<Long>> action) {
		List<Long> remaining = new ArrayList<>(ids);
		for (int from = 0; from < remaining.size(); from += MAX_IDS_PER_STATEMENT) {
			action.accept(remaining.subList(from, Math.min(remaining.size(), from + MAX_IDS_PER_STATEMENT)));
		}
	}

	static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	/**
	 * Count the pending and the dead events and find the oldest pending one, with one
	 * query over the table.
	 * @return the statistics
	 */
	public OutboxStatistics statistics() {
		return this.jdbc.queryForObject("SELECT SUM(CASE WHEN dead_at IS NULL THEN 1 ELSE 0 END),"
				+ " SUM(CASE WHEN dead_at IS NOT NULL THEN 1 ELSE 0 END),"
				+ " MIN(CASE WHEN dead_at IS NULL THEN created_at END) FROM " + this.tables.events()
				+ " WHERE published_at IS NULL", (rs, row) -> {
					LocalDateTime oldest = rs.getObject(3, LocalDateTime.class);
					return new OutboxStatistics(rs.getLong(1), rs.getLong(2),
							(oldest != null) ? oldest.toInstant(ZoneOffset.UTC) : null);
				});
	}

	/**
	 * Delete up to {@code limit} events published before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of events to delete
	 * @return the number of events deleted
	 */
	public int purgePublished(Instant before, int limit) {
		return purge(PUBLISHED_BEFORE, before, limit);
	}

	/**
	 * Delete up to {@code limit} events dead before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of events to delete
	 * @return the number of events deleted
	 */
	public int purgeDead(Instant before, int limit) {
		return purge(DEAD_BEFORE, before, limit);
	}

	private int purge(String condition, Instant before, int limit) {
		return deletePurgeable(condition, selectPurgeable(condition, before, limit), before);
	}

	/**
	 * The first step of a purge: select up to {@code limit} ids of events matching the
	 * given condition.
	 * @param condition {@link #PUBLISHED_BEFORE} or {@link #DEAD_BEFORE}
	 * @param before the end of the retention
	 * @param limit the maximum number of events
	 * @return the ids
	 */
	List<Long> selectPurgeable(String condition, Instant before, int limit) {
		return this.jdbc.queryForList("SELECT id FROM " + this.tables.events() + " WHERE " + condition
				+ " ORDER BY id LIMIT ?", Long.class, toTimestamp(before), limit);
	}

	/**
	 * The second step of a purge: delete those of the given events that still match the
	 * condition. An event retried since it was selected is pending again and must stay.
	 * @param condition the condition the events were selected with
	 * @param ids the ids of the events
	 * @param before the end of the retention
	 * @return the number of events deleted
	 */
	int deletePurgeable(String condition, List<Long> ids, Instant before) {
		Object timestamp = toTimestamp(before);
		int[] deleted = new int[1];
		forEachChunk(ids, (chunk) -> {
			List<Object> arguments = new ArrayList<>(chunk);
			arguments.add(timestamp);
			deleted[0] += this.jdbc.update("DELETE FROM " + this.tables.events() + " WHERE id IN ("
					+ placeholders(chunk.size()) + ") AND " + condition, arguments.toArray());
		});
		return deleted[0];
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
	public void moveBehindTheirKeys(List<Long> ids) {
		if (ids.isEmpty()) {
			return;
		}
		Map<Long, Moving> events = new HashMap<>();
		forEachChunk(ids, (chunk) -> this.jdbc.query("SELECT id, event_id, topic, event_key, event_sequence FROM "
				+ this.tables.events() + " WHERE event_key IS NOT NULL AND id IN (" + placeholders(chunk.size()) + ")", (rs) -> {
					events.put(rs.getLong(1), new Moving(rs.getString(2), new SequenceKey(rs.getString(3), rs.getString(4)),
							rs.getLong(5)));
				}, chunk.toArray()));
		SortedMap<SequenceKey, Integer> counts = new TreeMap<>();
		for (Long id : ids) {
			Moving event = events.get(id);
			Assert.state(event != null, () -> "No event with a key has id " + id);
			counts.merge(event.key(), 1, Integer::sum);
		}
		Map<SequenceKey, Long> next = Sequences.next(this.jdbc, this.dialect, this.tables, counts);
		for (Long id : ids) {
			Moving event = events.get(id);
			long sequence = next.merge(event.key(), 1L, Long::sum) - 1;
			this.jdbc.update(this.moveSql, sequence, id);
			this.jdbc.update("DELETE FROM " + this.tables.events() + " WHERE id = ?", id);
			logger.warn("Outbox event " + event.eventId() + " of key '" + event.key().key() + "' on topic '"
					+ event.key().topic() + "' is sent again after a later event of its key was acknowledged: its "
					+ "sequence changes from " + event.sequence() + " to " + sequence + ", so that a consumer guarding on "
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
		List<Long> last = this.jdbc.queryForList("SELECT last_sequence FROM " + this.tables.sequences()
				+ " WHERE topic = ? AND event_key = ?", Long.class, key.topic(), key.key());
		if (last.isEmpty() || last.get(0) <= sequence) {
			return false;
		}
		if (!this.deadEventsBlockTheirKey) {
			return true;
		}
		Long waiting = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.tables.events()
				+ " WHERE topic = ? AND event_key = ? AND event_sequence > ? AND published_at IS NULL", Long.class,
				key.topic(), key.key(), sequence);
		return waiting == null || waiting < last.get(0) - sequence;
	}

	private record Moving(String eventId, SequenceKey key, long sequence) {

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
