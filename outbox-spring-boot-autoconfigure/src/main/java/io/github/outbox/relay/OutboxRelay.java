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
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.observation.OutboxRelayObservationConvention;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.Lanes;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.task.OutboxTaskScheduler;
import io.github.outbox.task.OutboxTaskSchedulers;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
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

	private final OutboxStore store;

	private final BatchSender batchSender;

	private final BatchRelay batches;

	private final RelayPause pause;

	private final LaneLeases leases;

	private final Settings settings;

	private final Clock clock;

	private volatile List<RelayWorker> workers = List.of();

	private volatile @Nullable LeaseRenewal leaseRenewal;

	private volatile boolean running;

	private OutboxTaskSchedulers taskSchedulers = OutboxTaskSchedulers.platformThreads();

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
		this.settings = settings;
		this.clock = clock;
		DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
		TransactionTemplate transactionTemplate = new TransactionTemplate(transactionManager);
		transactionTemplate.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		this.leases = new LaneLeases(lanes, transactionTemplate, settings.instanceId(), settings.leaseTime(), clock);
		this.batchSender = new BatchSender(sender, settings.sendTimeout());
		this.pause = new RelayPause(settings.backoff(), clock);
		this.batches = new BatchRelay(store, this.leases, this.batchSender,
				new BatchSettlement(sender, settings.maxAttempts(), settings.backoff(),
						store.isDeadEventsBlockTheirKey()),
				this.pause, batchTransactions(store, transactionManager, transactionTemplate), settings.batchSize(),
				clock, listener);
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
	 * Set what creates the relay's threads: one per lane group, one that takes lanes and
	 * one that extends the leases. One platform thread each by default.
	 * @param taskSchedulers the schedulers
	 */
	public void setTaskSchedulers(OutboxTaskSchedulers taskSchedulers) {
		Assert.notNull(taskSchedulers, "'taskSchedulers' must not be null");
		this.taskSchedulers = taskSchedulers;
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
		LeaseRenewal leaseRenewal = new LeaseRenewal(this.leases, scheduler("outbox-lease-"),
				scheduler("outbox-lease-extension-"), this.settings.leaseTime(), this.clock, this::isRunning);
		int concurrency = this.settings.concurrency();
		List<RelayWorker> workers = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			String name = (concurrency > 1) ? "outbox-relay-" + i + "-" : "outbox-relay-";
			workers.add(new RelayWorker(new LaneGroup(concurrency, i), scheduler(name), this.batches, this.pause,
					this::isRunning, this.settings.pollInterval(), this.settings.linger(), this.settings.batchSize(),
					this::followUp));
		}
		this.leaseRenewal = leaseRenewal;
		this.workers = List.copyOf(workers);
		this.running = true;
		leaseRenewal.start();
		workers.forEach(RelayWorker::start);
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

	private OutboxTaskScheduler scheduler(String threadNamePrefix) {
		// a batch in progress ends before shutdown goes on, within the shutdown timeout
		return this.taskSchedulers.create(threadNamePrefix, this.settings.shutdownTimeout(), false);
	}

	@Override
	public void stop() {
		this.running = false;
		List<RelayWorker> workers = this.workers;
		LeaseRenewal leaseRenewal = this.leaseRenewal;
		if (leaseRenewal != null) {
			// every worker stops taking runs before any is waited for: their batches end
			// together
			workers.forEach(RelayWorker::stopScheduling);
			workers.forEach(RelayWorker::awaitStop);
			leaseRenewal.stop();
			this.workers = List.of();
			this.leaseRenewal = null;
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

	/**
	 * Return whether this relay, running, held the lanes of all the given events at its
	 * last lease renewal, so that no other instance's relay needs to hear of them. While
	 * this instance holds every lane, as a single instance does, the commits of its
	 * transactions then notify no one. A lane given back since is no longer counted as
	 * held from the moment it is given back.
	 * @param messages the events
	 * @return {@code true} if this relay relays all of them, {@code false} if another
	 * instance's relay may have to, or for no events
	 */
	public boolean relaysHere(List<OutboxMessage> messages) {
		if (!this.running || messages.isEmpty()) {
			return false;
		}
		List<Integer> owned = this.leases.owned();
		int lanes = this.store.getLanes();
		if (owned.size() == lanes) {
			return true;
		}
		for (OutboxMessage message : messages) {
			if (!owned.contains(Lanes.laneOf(message.key(), message.eventId(), lanes))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The transactions of the batches: read committed, set by the dialect at the start of
	 * each batch where it can.
	 */
	private static TransactionTemplate batchTransactions(OutboxStore store,
			DataSourceTransactionManager transactionManager, TransactionTemplate readCommitted) {
		return store.getDialect().readCommittedBeforeRelayBatch() ? new TransactionTemplate(transactionManager)
				: readCommitted;
	}

	/**
	 * Wake the workers of the lanes of the given events, committed in this instance, or
	 * every worker for no events (events pending again, of any lane): a worker woken for
	 * lanes without events would run a batch that finds nothing.
	 */
	@Override
	public void committed(List<OutboxMessage> messages) {
		List<RelayWorker> workers = this.workers;
		if (workers.isEmpty()) {
			// not running: the events wait for the start
			return;
		}
		if (messages.isEmpty() || workers.size() == 1) {
			workers.forEach(RelayWorker::wakeUp);
			return;
		}
		int lanes = this.store.getLanes();
		boolean[] woken = new boolean[workers.size()];
		for (OutboxMessage message : messages) {
			int worker = Lanes.laneOf(message.key(), message.eventId(), lanes) % workers.size();
			if (!woken[worker]) {
				woken[worker] = true;
				workers.get(worker).wakeUp();
			}
		}
	}

	/**
	 * After a run that relayed events, every worker looks again shortly: events committed
	 * elsewhere meanwhile may be in any worker's lanes.
	 */
	private void followUp() {
		this.workers.forEach(RelayWorker::followUp);
	}

	/**
	 * Relay one batch of all the lanes this instance holds.
	 * @return the number of events read, sent or not
	 */
	int relayBatch() {
		return relayBatch(LaneGroup.ALL);
	}

	/**
	 * Relay one batch of the given lanes (see {@link BatchRelay}).
	 * @param group the lanes
	 * @return the number of events read, sent or not
	 */
	int relayBatch(LaneGroup group) {
		return this.batches.relay(group);
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
	 * @param linger how long a commit waits for others after the start of the previous
	 * batch of its lanes, so that they are relayed together
	 */
	public record Settings(String instanceId, Duration pollInterval, int batchSize, Duration sendTimeout,
			Duration shutdownTimeout, Duration leaseTime, int maxAttempts, RetryBackoff backoff, int concurrency,
			Duration linger) {

		/**
		 * Settings of a relay that relays as soon as a commit wakes it.
		 * @param instanceId id of this instance in the lane table
		 * @param pollInterval time between two polls when no commit woke the relay
		 * @param batchSize maximum number of events read and sent at once
		 * @param sendTimeout how long to wait for the acknowledgements of a batch
		 * @param shutdownTimeout how long to wait for the current batch on shutdown
		 * @param leaseTime how long a lane lease lasts without renewal
		 * @param maxAttempts send attempts after which an event is dead
		 * @param backoff delays between the attempts of a failing event
		 * @param concurrency batches relayed at once, each of its own group of lanes
		 */
		public Settings(String instanceId, Duration pollInterval, int batchSize, Duration sendTimeout,
				Duration shutdownTimeout, Duration leaseTime, int maxAttempts, RetryBackoff backoff, int concurrency) {
			this(instanceId, pollInterval, batchSize, sendTimeout, shutdownTimeout, leaseTime, maxAttempts, backoff,
					concurrency, Duration.ZERO);
		}

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
			Assert.isTrue(linger != null && !linger.isNegative(), "'linger' must not be negative");
		}

		/**
		 * Return these settings with the given linger.
		 * @param linger how long a commit waits for others after the start of the
		 * previous batch of its lanes
		 * @return the settings
		 */
		public Settings withLinger(Duration linger) {
			return new Settings(this.instanceId, this.pollInterval, this.batchSize, this.sendTimeout,
					this.shutdownTimeout, this.leaseTime, this.maxAttempts, this.backoff, this.concurrency, linger);
		}

		private static boolean isPositive(@Nullable Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

	}

}
