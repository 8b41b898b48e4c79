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

package io.github.outbox.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.outbox.relay.OutboxRelayListener;
import io.github.outbox.store.BatchedDeletes;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.store.OutboxStatistics;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.task.OutboxTaskScheduler;
import io.github.outbox.task.OutboxTaskSchedulers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.Assert;

/**
 * Keeps a snapshot of the outbox table, refreshed on a thread of its own, for metrics,
 * health and the actuator endpoint: reading them never runs a query. Also remembers the
 * relay's last error, and purges published and dead events past their retention, in
 * bounded batches.
 *
 * @author Outbox contributors
 */
public class OutboxMonitor implements SmartLifecycle, OutboxRelayListener {

	private static final Log logger = LogFactory.getLog(OutboxMonitor.class);

	private static final int MAX_PURGE_BATCHES_PER_RUN = 100;

	private final OutboxStore store;

	private final Settings settings;

	private final Clock clock;

	private volatile @Nullable Snapshot snapshot;

	private volatile @Nullable LastError lastError;

	private volatile @Nullable OutboxTaskScheduler scheduler;

	private OutboxTaskSchedulers taskSchedulers = OutboxTaskSchedulers.platformThreads();

	/**
	 * Create a monitor.
	 * @param store the store of the outbox events
	 * @param settings the settings
	 * @param clock the clock
	 */
	public OutboxMonitor(OutboxStore store, Settings settings, Clock clock) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.store = store;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Set what creates the monitor's thread. One platform thread by default.
	 * @param taskSchedulers the schedulers
	 */
	public void setTaskSchedulers(OutboxTaskSchedulers taskSchedulers) {
		Assert.notNull(taskSchedulers, "'taskSchedulers' must not be null");
		this.taskSchedulers = taskSchedulers;
	}

	@Override
	public void start() {
		OutboxTaskScheduler scheduler = this.taskSchedulers.create("outbox-monitor-", Duration.ZERO, true);
		this.scheduler = scheduler;
		scheduler.scheduleWithFixedDelay(this::runQuietly, this.settings.refreshInterval());
	}

	@Override
	public void stop() {
		OutboxTaskScheduler scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdown();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	private void runQuietly() {
		// a purge that fails must not leave the meters and the health on an old snapshot
		try {
			purge();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not purge the outbox events past their retention: " + ex.getMessage());
		}
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not refresh the outbox statistics: " + ex.getMessage());
		}
	}

	/**
	 * Read the statistics of the table now.
	 * @return the new snapshot
	 */
	public Snapshot refresh() {
		Snapshot snapshot = new Snapshot(this.store.statistics(), this.clock.instant());
		this.snapshot = snapshot;
		return snapshot;
	}

	/**
	 * Purge the published and dead events past their retention now.
	 * @return the number of events purged
	 */
	public int purge() {
		Instant now = this.clock.instant();
		int purged = 0;
		if (this.settings.publishedRetention() != null) {
			purged += BatchedDeletes.run(
					(limit) -> this.store.purgePublished(now.minus(this.settings.publishedRetention()), limit),
					this.settings.purgeBatchSize(), MAX_PURGE_BATCHES_PER_RUN);
		}
		if (this.settings.deadRetention() != null) {
			purged += BatchedDeletes.run(
					(limit) -> this.store.purgeDead(now.minus(this.settings.deadRetention()), limit),
					this.settings.purgeBatchSize(), MAX_PURGE_BATCHES_PER_RUN);
		}
		return purged;
	}

	/**
	 * Return the last snapshot.
	 * @return the snapshot, or {@code null} before the first refresh
	 */
	public @Nullable Snapshot getSnapshot() {
		return this.snapshot;
	}

	/**
	 * Return the last failed send attempt of the relay of this instance.
	 * @return the last error, or {@code null} if none occurred
	 */
	public @Nullable LastError getLastError() {
		return this.lastError;
	}

	@Override
	public void failed(OutboxRecord record, Throwable error, boolean dead) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
		this.lastError = new LastError(cause.getClass().getName() + ": " + cause.getMessage(), record.topic(),
				this.clock.instant());
	}

	/**
	 * A snapshot of the outbox table.
	 *
	 * @param statistics the statistics
	 * @param refreshedAt when they were read
	 */
	public record Snapshot(OutboxStatistics statistics, Instant refreshedAt) {

		/**
		 * Return the age of the oldest pending event at the given time.
		 * @param now the time
		 * @return the age, {@link Duration#ZERO} if no event was pending
		 */
		public Duration oldestPendingAge(Instant now) {
			Instant oldest = this.statistics.oldestPendingCreatedAt();
			if (oldest == null || oldest.isAfter(now)) {
				return Duration.ZERO;
			}
			return Duration.between(oldest, now);
		}

	}

	/**
	 * The last failed send attempt.
	 *
	 * @param message the error
	 * @param topic the topic of the event
	 * @param at when it failed
	 */
	public record LastError(String message, String topic, Instant at) {

	}

	/**
	 * Settings of the monitor.
	 *
	 * @param refreshInterval time between two refreshes of the snapshot
	 * @param publishedRetention how long published events are kept, or {@code null} if
	 * they are deleted at once
	 * @param deadRetention how long dead events are kept, or {@code null} to keep them
	 * until they are retried or discarded
	 * @param purgeBatchSize the maximum number of events deleted by one statement
	 */
	public record Settings(Duration refreshInterval, @Nullable Duration publishedRetention,
			@Nullable Duration deadRetention, int purgeBatchSize) {

		public Settings {
			Assert.isTrue(refreshInterval != null && !refreshInterval.isNegative() && !refreshInterval.isZero(),
					"'refreshInterval' must be positive");
			Assert.isTrue(purgeBatchSize > 0, "'purgeBatchSize' must be positive");
		}

	}

}
