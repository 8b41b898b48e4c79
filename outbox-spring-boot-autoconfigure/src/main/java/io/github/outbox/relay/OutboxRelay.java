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

package io.github.outbox.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.observation.OutboxRelayObservationConvention;
import io.github.outbox.relay.BatchSettlement.Settlement;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxRecord;
import io.github.outbox.store.OutboxStore;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Relays pending outbox events to an {@link OutboxSender}. Runs on
 * {@link Settings#concurrency()} threads of its own, each relaying one group of lanes
 * ({@code lane % concurrency}): every poll interval, and at once when a transaction with
 * events committed in this instance. While one thread awaits the acknowledgements of its
 * batch, the others read and settle theirs, so the database and the broker work at the
 * same time; each lane is only ever in one batch at a time. Another thread renews the
 * lane leases every third of the lease time.
 * <p>
 * Lanes are shared between instances with leases (see {@link LaneLeases}). Each batch
 * runs in one database transaction that first locks the lanes of its group this instance
 * holds a valid lease on, then reads their oldest events, sends them all, awaits the
 * acknowledgements and deletes the acknowledged events. Holding the lane locks until the
 * deletes commit fences hand-overs: another instance cannot take a lane over while a
 * batch on it is in flight.
 * <p>
 * When an event fails, it is kept with its error and a next attempt time, and the later
 * events of its key wait behind it: once an event failed at once, no later event of its
 * key is sent in the same batch. Later events of its key that were acknowledged anyway
 * (the failure came back after their acknowledgements) were delivered and are removed;
 * the failed event then moves behind them with its key's next sequence (see
 * {@link OutboxStore#moveBehindTheirKeys}). After the last attempt, or at once for a
 * non-retryable error, the event is dead.
 *
 * @author Outbox contributors
 */
public class OutboxRelay implements SmartLifecycle, OutboxCommitListener {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	/**
	 * Longest pause between two batches while the destination is unavailable, so that the
	 * backlog drains soon after it returns.
	 */
	static final Duration MAX_PAUSE = Duration.ofSeconds(30);

	private final OutboxStore store;

	private final BatchSender batchSender;

	private final BatchSettlement settlement;

	private final TransactionTemplate transactionTemplate;

	private final LaneLeases leases;

	private final Settings settings;

	private final Clock clock;

	private final OutboxRelayListener listener;

	/**
	 * How soon a relay that just relayed events looks again.
	 */
	static final Duration FOLLOW_UP = Duration.ofMillis(20);

	private volatile List<Worker> workers = List.of();

	private volatile @Nullable ThreadPoolTaskScheduler leaseScheduler;

	private volatile boolean running;

	private volatile @Nullable Instant pausedUntil;

	private final AtomicInteger unavailableBatches = new AtomicInteger();

	/**
	 * Create a relay.
	 * @param store the store of the outbox events
	 * @param lanes the store of the lanes and their leases
	 * @param dataSource the data source of the outbox tables
	 * @param sender the sender
	 * @param settings the relay settings
	 * @param clock the clock
	 */
	public OutboxRelay(OutboxStore store, OutboxLanes lanes, DataSource dataSource, OutboxSender sender,
			Settings settings, Clock clock) {
		this(store, lanes, dataSource, sender, settings, clock, new OutboxRelayListener() {
		});
	}

	/**
	 * Create a relay that tells the given listener what it did.
	 * @param store the store of the outbox events
	 * @param lanes the store of the lanes and their leases
	 * @param dataSource the data source of the outbox tables
	 * @param sender the sender
	 * @param settings the relay settings
	 * @param clock the clock
	 * @param listener the listener
	 */
	public OutboxRelay(OutboxStore store, OutboxLanes lanes, DataSource dataSource, OutboxSender sender,
			Settings settings, Clock clock, OutboxRelayListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(lanes, "'lanes' must not be null");
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.store = store;
		this.batchSender = new BatchSender(sender, settings.sendTimeout());
		this.settlement = new BatchSettlement(sender, settings.maxAttempts(), settings.backoff(),
				store.isDeadEventsBlockTheirKey());
		this.settings = settings;
		this.clock = clock;
		this.listener = listener;
		this.transactionTemplate = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.transactionTemplate.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		this.leases = new LaneLeases(lanes, this.transactionTemplate, settings.instanceId(), settings.leaseTime(),
				clock);
	}

	/**
	 * Set the registry that observes the relay of each event.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.batchSender.setObservationRegistry(observationRegistry);
	}

	/**
	 * Set a convention replacing the default one of the relay's observations.
	 * @param observationConvention the convention
	 */
	public void setObservationConvention(@Nullable OutboxRelayObservationConvention observationConvention) {
		this.batchSender.setObservationConvention(observationConvention);
	}

	/**
	 * Return the id of this relay instance in the lane table.
	 * @return the instance id
	 */
	public String getInstanceId() {
		return this.leases.instanceId();
	}

	/**
	 * Return the lanes this instance held at its last lease renewal.
	 * @return the lanes, in ascending order
	 */
	public List<Integer> getOwnedLanes() {
		return this.leases.owned();
	}

	@Override
	public void start() {
		takeLanes();
		// leases are renewed on a thread of their own, so that a long drain never lets them expire
		ThreadPoolTaskScheduler leaseScheduler = scheduler("outbox-lease-");
		int concurrency = this.settings.concurrency();
		List<Worker> workers = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			String name = (concurrency > 1) ? "outbox-relay-" + i + "-" : "outbox-relay-";
			workers.add(new Worker(new LaneGroup(concurrency, i), scheduler(name)));
		}
		this.leaseScheduler = leaseScheduler;
		this.workers = List.copyOf(workers);
		this.running = true;
		leaseScheduler.schedule(this::renewLeases, nextRenewal());
		workers.forEach(Worker::start);
	}

	/**
	 * Create missing lane rows and take this instance's share of the lanes.
	 * @return the lanes this instance holds
	 */
	List<Integer> takeLanes() {
		this.leases.createLanes();
		long stranded = this.store.countEventsBeyondLanes();
		if (stranded > 0) {
			logger.error(stranded + " outbox events belong to lanes beyond outbox.lanes=" + this.store.getLanes()
					+ " and will not be relayed: restore the previous lane count until the table is drained");
		}
		return this.leases.renew();
	}

	/**
	 * Renew this instance's leases and share of the lanes now.
	 * @return the lanes this instance holds
	 */
	List<Integer> renewLeasesNow() {
		return this.leases.renew();
	}

	/**
	 * Give back this instance's lanes now.
	 */
	void leaveNow() {
		this.leases.leave();
	}

	private ThreadPoolTaskScheduler scheduler(String threadNamePrefix) {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix(threadNamePrefix);
		scheduler.setWaitForTasksToCompleteOnShutdown(true);
		scheduler.setAwaitTerminationMillis(this.settings.shutdownTimeout().toMillis());
		scheduler.initialize();
		return scheduler;
	}

	@Override
	public void stop() {
		this.running = false;
		List<Worker> workers = this.workers;
		ThreadPoolTaskScheduler leaseScheduler = this.leaseScheduler;
		if (leaseScheduler != null) {
			// every worker stops taking runs before any is waited for: their batches end together
			workers.forEach(Worker::stopScheduling);
			workers.forEach(Worker::awaitStop);
			leaseScheduler.shutdown();
			this.workers = List.of();
			this.leaseScheduler = null;
			try {
				this.leases.leave();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not give back the outbox lanes of " + getInstanceId()
						+ ", other instances take them over when the leases expire: " + ex.getMessage());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void committed(List<OutboxMessage> messages) {
		this.workers.forEach(Worker::wakeUp);
	}

	private void renewLeases() {
		if (!this.running) {
			return;
		}
		try {
			this.leases.renew();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not renew the outbox lane leases of " + getInstanceId() + ": " + ex.getMessage());
		}
		ThreadPoolTaskScheduler leaseScheduler = this.leaseScheduler;
		if (this.running && leaseScheduler != null) {
			try {
				leaseScheduler.schedule(this::renewLeases, nextRenewal());
			}
			catch (TaskRejectedException ex) {
				// stopping
			}
		}
	}

	/**
	 * Renew a third of the lease time after the last renewal, or as soon as another
	 * instance's heartbeat lapses, so that the lanes of an instance that died are taken
	 * over when their leases expire, not up to a renewal period later.
	 */
	private Instant nextRenewal() {
		Instant now = this.clock.instant();
		Instant next = now.plus(this.settings.leaseTime().dividedBy(3));
		Instant nextExpiry = this.leases.nextExpiry();
		if (nextExpiry != null && nextExpiry.isBefore(next)) {
			Instant takeover = nextExpiry.plusMillis(20);
			next = takeover.isAfter(now) ? takeover : now.plusMillis(20);
		}
		return next;
	}

	/**
	 * Relay one batch of all the lanes this instance holds.
	 * @return the number of events read, sent or not
	 */
	int relayBatch() {
		return relayBatch(LaneGroup.ALL);
	}

	/**
	 * Relay one batch of the given lanes: lock those of them this instance holds a valid
	 * lease on, read their oldest events, send them, await the results and settle them,
	 * all in one transaction, so that no other batch can work on these lanes meanwhile.
	 * @param group the lanes
	 * @return the number of events read, sent or not
	 */
	int relayBatch(LaneGroup group) {
		Instant start = this.clock.instant();
		Settlement settlement = this.transactionTemplate.execute((status) -> {
			Instant now = this.clock.instant();
			this.store.beforeRelayBatch();
			List<Integer> lanes = this.leases.lock(now, group.count(), group.index());
			if (lanes.isEmpty()) {
				return Settlement.NONE;
			}
			List<OutboxRecord> records = this.store
				.fetch((lanes.size() == this.store.getLanes()) ? null : lanes, now, this.settings.batchSize());
			if (records.isEmpty()) {
				return Settlement.NONE;
			}
			Instant fetched = this.clock.instant();
			BatchSender.Sent sent = this.batchSender.send(records);
			Instant acknowledged = this.clock.instant();
			Settlement settled = this.settlement.settle(records, sent.results(), sent.knownRetryable(), acknowledged,
					pauseDelay(this.unavailableBatches.get() + 1));
			apply(settled, acknowledged);
			if (logger.isDebugEnabled()) {
				logger.debug("Relayed a batch of " + records.size() + " events from " + lanes.size() + " lanes in "
						+ Duration.between(now, this.clock.instant()).toMillis() + " ms (read "
						+ Duration.between(now, fetched).toMillis() + " ms, send "
						+ Duration.between(fetched, acknowledged).toMillis() + " ms, settle "
						+ Duration.between(acknowledged, this.clock.instant()).toMillis() + " ms)");
			}
			return settled;
		});
		if (settlement == null || settlement.read() == 0) {
			return 0;
		}
		notifyListener(settlement, start);
		return settlement.read();
	}

	/**
	 * Write a batch's settlement in its transaction, and pause while the destination is
	 * unavailable.
	 */
	private void apply(Settlement settlement, Instant now) {
		this.store.published(settlement.delivered().stream().map(OutboxRecord::id).toList(), now);
		if (!settlement.failures().isEmpty()) {
			logger.warn(settlement.failures().size() + " outbox events failed and will be retried, first error: "
					+ settlement.failures().get(0).error());
			this.store.markFailed(settlement.failures());
		}
		if (!settlement.deaths().isEmpty()) {
			logger.error(settlement.deaths().size()
					+ " outbox events are dead and will not be retried automatically, first error: "
					+ settlement.deaths().get(0).error());
			this.store.markDead(settlement.deaths(), now);
		}
		this.store.moveBehindTheirKeys(settlement.overtaken());
		if (!settlement.delivered().isEmpty()) {
			this.unavailableBatches.set(0);
		}
		else if (settlement.destinationUnavailable()) {
			this.pausedUntil = now.plus(pauseDelay(this.unavailableBatches.incrementAndGet()));
			logger.warn("Outbox destination unavailable, relay paused until " + this.pausedUntil);
		}
	}

	private void notifyListener(Settlement settlement, Instant start) {
		try {
			Instant acknowledgedAt = settlement.settledAt();
			settlement.delivered().forEach((record) -> this.listener.delivered(record, acknowledgedAt));
			settlement.failedSends()
				.forEach((failure) -> this.listener.failed(failure.record(), failure.error(), failure.dead()));
			this.listener.batchCompleted(settlement.read(), Duration.between(start, this.clock.instant()));
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay listener failed: " + ex.getMessage(), ex);
		}
	}

	private Duration pauseDelay(int unavailableBatches) {
		Duration delay = this.settings.backoff().delay(unavailableBatches);
		return (delay.compareTo(MAX_PAUSE) > 0) ? MAX_PAUSE : delay;
	}

	private boolean isPaused() {
		Instant pausedUntil = this.pausedUntil;
		return pausedUntil != null && this.clock.instant().isBefore(pausedUntil);
	}

	/**
	 * The lanes whose number leaves the given remainder divided by the given count.
	 *
	 * @param count the number of groups
	 * @param index the remainder of this group's lanes
	 */
	record LaneGroup(int count, int index) {

		static final LaneGroup ALL = new LaneGroup(1, 0);

	}

	/**
	 * Relays one group of lanes on a thread of its own, one batch after the other: never
	 * two batches of one lane at once. The workers of the other groups read and settle
	 * their batches while this one awaits its acknowledgements.
	 */
	private final class Worker {

		private final LaneGroup group;

		private final ThreadPoolTaskScheduler scheduler;

		private final AtomicBoolean wakeUpRequested = new AtomicBoolean();

		private final AtomicBoolean followUpScheduled = new AtomicBoolean();

		private int failedBatches;

		Worker(LaneGroup group, ThreadPoolTaskScheduler scheduler) {
			this.group = group;
			this.scheduler = scheduler;
		}

		void start() {
			this.scheduler.scheduleWithFixedDelay(this::relayPending, OutboxRelay.this.settings.pollInterval());
		}

		void stopScheduling() {
			this.scheduler.getScheduledExecutor().shutdown();
		}

		/**
		 * Wait for the batch in progress, at most the shutdown timeout.
		 */
		void awaitStop() {
			this.scheduler.shutdown();
		}

		void wakeUp() {
			submitRun(this.wakeUpRequested, Duration.ZERO);
		}

		/**
		 * Look again shortly after a run of any worker that relayed events, until a look
		 * finds none.
		 * While events keep coming, they are relayed within {@link #FOLLOW_UP} even when
		 * nothing wakes this relay: events committed by other instances are announced by
		 * a notification that PostgreSQL may deliver late under load, and not at all on
		 * other databases.
		 */
		private void followUp() {
			Duration pollInterval = OutboxRelay.this.settings.pollInterval();
			submitRun(this.followUpScheduled, (pollInterval.compareTo(FOLLOW_UP) < 0) ? pollInterval : FOLLOW_UP);
		}

		/**
		 * Submit a run after the given delay, unless one submitted for the same reason is
		 * still pending: runs are coalesced per reason.
		 * @param pending whether a run for this reason is pending, cleared when it starts
		 * @param delay the delay
		 */
		private void submitRun(AtomicBoolean pending, Duration delay) {
			ThreadPoolTaskScheduler scheduler = this.scheduler;
			if (OutboxRelay.this.running && pending.compareAndSet(false, true)) {
				try {
					scheduler.schedule(() -> {
						pending.set(false);
						relayPending();
					}, scheduler.getClock().instant().plus(delay));
				}
				catch (TaskRejectedException ex) {
					pending.set(false);
				}
			}
		}

		/**
		 * Relay batches until a batch is not full, the relay stops, or a batch fails.
		 */
		void relayPending() {
			try {
				int relayed = 0;
				while (OutboxRelay.this.running && !isPaused()) {
					int read = relayBatch(this.group);
					relayed += read;
					this.failedBatches = 0;
					if (read < OutboxRelay.this.settings.batchSize()) {
						break;
					}
					// the backlog is larger than a batch: keep going without waiting
				}
				if (relayed > 0) {
					// events committed elsewhere meanwhile may be in any worker's lanes
					OutboxRelay.this.workers.forEach(Worker::followUp);
				}
			}
			catch (RuntimeException ex) {
				// typically the database is unreachable: back off as from an unavailable broker
				this.failedBatches++;
				OutboxRelay.this.pausedUntil = OutboxRelay.this.clock.instant().plus(pauseDelay(this.failedBatches));
				logger.warn("Outbox relay batch failed, relay paused until " + OutboxRelay.this.pausedUntil + ": "
						+ ex.getMessage(), (this.failedBatches == 1) ? ex : null);
			}
		}

	}

	/**
	 * Settings of the relay.
	 *
	 * @param instanceId id of this instance in the lane table, unique among the instances
	 * sharing the outbox table
	 * @param pollInterval time between two polls when no commit woke the relay
	 * @param batchSize maximum number of events read and sent at once
	 * @param sendTimeout how long to wait for the acknowledgements of a batch
	 * @param shutdownTimeout how long to wait for the current batch on shutdown
	 * @param leaseTime how long a lane lease lasts without renewal
	 * @param maxAttempts send attempts after which an event is dead
	 * @param backoff delays between the attempts of a failing event
	 * @param concurrency batches relayed at once, each of its own group of lanes
	 */
	public record Settings(String instanceId, Duration pollInterval, int batchSize, Duration sendTimeout,
			Duration shutdownTimeout, Duration leaseTime, int maxAttempts, RetryBackoff backoff, int concurrency) {

		/**
		 * Settings of a relay that relays one batch at a time.
		 * @param instanceId id of this instance in the lane table
		 * @param pollInterval time between two polls when no commit woke the relay
		 * @param batchSize maximum number of events read and sent at once
		 * @param sendTimeout how long to wait for the acknowledgements of a batch
		 * @param shutdownTimeout how long to wait for the current batch on shutdown
		 * @param leaseTime how long a lane lease lasts without renewal
		 * @param maxAttempts send attempts after which an event is dead
		 * @param backoff delays between the attempts of a failing event
		 */
		public Settings(String instanceId, Duration pollInterval, int batchSize, Duration sendTimeout,
				Duration shutdownTimeout, Duration leaseTime, int maxAttempts, RetryBackoff backoff) {
			this(instanceId, pollInterval, batchSize, sendTimeout, shutdownTimeout, leaseTime, maxAttempts, backoff, 1);
		}

		public Settings {
			Assert.hasText(instanceId, "'instanceId' must not be empty");
			Assert.isTrue(isPositive(pollInterval), "'pollInterval' must be positive");
			Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
			Assert.isTrue(isPositive(sendTimeout), "'sendTimeout' must be positive");
			Assert.isTrue(shutdownTimeout != null && !shutdownTimeout.isNegative(),
					"'shutdownTimeout' must not be negative");
			Assert.isTrue(isPositive(leaseTime) && leaseTime.toMillis() >= 300, "'leaseTime' must be at least 300ms");
			Assert.isTrue(maxAttempts > 0, "'maxAttempts' must be positive");
			Assert.notNull(backoff, "'backoff' must not be null");
			Assert.isTrue(concurrency > 0, "'concurrency' must be positive");
		}

		private static boolean isPositive(@Nullable Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

	}

}
