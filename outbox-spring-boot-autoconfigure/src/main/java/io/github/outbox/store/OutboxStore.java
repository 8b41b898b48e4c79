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

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import javax.sql.DataSource;

import io.github.outbox.sender.OutboxRecord;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Reads and writes the outbox tables for its three users, each served by a part of its
 * own: the capture writes the events of a business transaction ({@code EventWriter}), the
 * relay reads and settles its batches ({@code RelayQueries}), the monitor reads the
 * table's statistics and purges what is past its retention ({@code MonitorQueries}).
 * Every method works in the transaction bound to the calling thread:
 * {@link #insert(List)} in the business transaction that published the events, the relay
 * methods in the relay's own transaction.
 * <p>
 * Times are stored as UTC timestamps and always come from the application's clock, so
 * that the database's time zone never matters.
 *
 * @author Outbox contributors
 */
public class OutboxStore implements OutboxWriter {

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

	private final Settings settings;

	private final EventWriter writer;

	private final RelayQueries relay;

	private final MonitorQueries monitor;

	/**
	 * Create a store.
	 * @param dataSource the data source holding the outbox tables
	 * @param dialect the dialect of the database
	 * @param tables the outbox tables
	 * @param settings how the events are kept
	 */
	public OutboxStore(DataSource dataSource, OutboxDialect dialect, OutboxTables tables, Settings settings) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(dialect, "'dialect' must not be null");
		Assert.notNull(tables, "'tables' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.jdbc = new JdbcTemplate(dataSource);
		this.dialect = dialect;
		this.tables = tables;
		this.settings = settings;
		this.writer = new EventWriter(this.jdbc, dialect, tables, settings.lanes(),
				settings.notifyInTransaction() && dialect.canNotifyRelays());
		this.relay = new RelayQueries(this.jdbc, dialect, tables, settings);
		this.monitor = new MonitorQueries(this.jdbc, tables);
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
		return this.settings.deadEventsBlockTheirKey();
	}

	/**
	 * Return the number of lanes.
	 * @return the lane count
	 */
	public int getLanes() {
		return this.settings.lanes();
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

	// ---------------------------------------------------------------- capture

	/**
	 * Write the given events, after taking the next sequence numbers of their keys, with
	 * one statement where the dialect can, otherwise with one JDBC batch. Taking the
	 * sequences locks each key's sequence row until the transaction ends, so rows of one
	 * key are numbered in commit order.
	 * @param messages the events, in publication order
	 */
	@Override
	public void insert(List<OutboxMessage> messages) {
		this.writer.insert(messages);
	}

	// ---------------------------------------------------------------- relay

	/**
	 * Return the statements that prepare the transaction of a relay batch, for example to
	 * plan its statements for the current size of the table, to send with its first
	 * statement (see {@link OutboxLanes#lockOwned(String, Instant, int, int, String)}).
	 * @param backlog whether the previous batch of the same lanes was full, so that the
	 * table may be large
	 * @return the statements, each followed by {@code ;}, or an empty string for none
	 */
	public String relayBatchPreamble(boolean backlog) {
		return this.dialect.relayBatchPreamble(backlog);
	}

	/**
	 * Count the events stored for lanes beyond the configured lane count, left behind
	 * when the lane count was lowered without draining the table first.
	 * @return the number of such events
	 */
	public long countEventsBeyondLanes() {
		return this.relay.countEventsBeyondLanes();
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
		return this.relay.fetch(lanes, now, limit);
	}

	/**
	 * Remove the given acknowledged events: delete them, or mark them published if
	 * published events are kept for a while.
	 * @param ids the ids of the events
	 * @param now the time of publication
	 */
	public void published(Collection<Long> ids, Instant now) {
		this.relay.published(ids, now);
	}

	/**
	 * Delete the given events.
	 * @param ids the ids of the events
	 */
	public void delete(Collection<Long> ids) {
		this.relay.delete(ids);
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
		this.relay.moveBehindTheirKeys(ids);
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
		return this.relay.mayFollowLaterEvents(key, sequence);
	}

	/**
	 * Record a failed send attempt for each of the given events: when to try again, the
	 * error and, if the attempt counts, one more attempt.
	 * @param failures the failures
	 */
	public void markFailed(List<Failure> failures) {
		this.relay.markFailed(failures);
	}

	/**
	 * Record the last, failed, send attempt of each of the given events, which are dead
	 * from now on: kept with their error and no longer sent until retried or discarded.
	 * @param failures the failures
	 * @param now the time of death
	 */
	public void markDead(List<Failure> failures, Instant now) {
		this.relay.markDead(failures, now);
	}

	// ---------------------------------------------------------------- monitor

	/**
	 * Count the pending and the dead events and find the oldest pending one, with one
	 * query over the table.
	 * @return the statistics
	 */
	public OutboxStatistics statistics() {
		return this.monitor.statistics();
	}

	/**
	 * Delete up to {@code limit} events published before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of events to delete
	 * @return the number of events deleted
	 */
	public int purgePublished(Instant before, int limit) {
		return this.monitor.purgePublished(before, limit);
	}

	/**
	 * Delete up to {@code limit} events dead before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of events to delete
	 * @return the number of events deleted
	 */
	public int purgeDead(Instant before, int limit) {
		return this.monitor.purgeDead(before, limit);
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
		return this.monitor.selectPurgeable(condition, before, limit);
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
		return this.monitor.deletePurgeable(condition, ids, before);
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

	/**
	 * How the store keeps the events: {@code Settings.lanes(64)}, then what differs from
	 * the defaults.
	 *
	 * @param lanes the number of lanes, a constant of the deployment
	 * @param deadEventsBlockTheirKey whether the later events of a key with a dead event
	 * wait until it is retried or discarded
	 * @param keepPublished whether acknowledged events are marked published, to be purged
	 * later, instead of deleted at once
	 * @param notifyInTransaction whether writing events notifies the relays of other
	 * instances at commit (PostgreSQL {@code NOTIFY} in the writing transaction); the
	 * auto-configuration leaves this off and notifies after the commit instead, with
	 * {@link OutboxStore#notifyRelaysNow()}
	 */
	public record Settings(int lanes, boolean deadEventsBlockTheirKey, boolean keepPublished,
			boolean notifyInTransaction) {

		public Settings {
			Assert.isTrue(lanes > 0, "'lanes' must be positive");
		}

		/**
		 * The defaults with the given number of lanes: dead events do not block their
		 * key, acknowledged events are deleted at once, no notification in the
		 * transaction.
		 * @param lanes the number of lanes
		 * @return the settings
		 */
		public static Settings lanes(int lanes) {
			return new Settings(lanes, false, false, false);
		}

		/**
		 * These settings with dead events blocking their key or not.
		 * @param block whether dead events block their key
		 * @return the settings
		 */
		public Settings deadEventsBlockingTheirKey(boolean block) {
			return new Settings(this.lanes, block, this.keepPublished, this.notifyInTransaction);
		}

		/**
		 * These settings with acknowledged events kept, or not.
		 * @param keep whether acknowledged events are kept, marked published
		 * @return the settings
		 */
		public Settings keepingPublished(boolean keep) {
			return new Settings(this.lanes, this.deadEventsBlockTheirKey, keep, this.notifyInTransaction);
		}

		/**
		 * These settings with relays notified in the writing transaction, or not.
		 * @param notify whether to notify in the transaction
		 * @return the settings
		 */
		public Settings notifyingInTransaction(boolean notify) {
			return new Settings(this.lanes, this.deadEventsBlockTheirKey, this.keepPublished, notify);
		}

	}

}
