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
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.observation.DefaultOutboxRelayObservationConvention;
import io.github.outbox.observation.OutboxRelayContext;
import io.github.outbox.observation.OutboxRelayObservation;
import io.github.outbox.observation.OutboxRelayObservationConvention;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxRecord;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxStore.Failure;
import io.github.outbox.store.SequenceKey;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Relays pending outbox events to an {@link OutboxSender}. Runs on a scheduler thread of
 * its own: every poll interval, and at once when a transaction with events committed in
 * this instance. Another thread renews the lane leases every third of the lease time.
 * <p>
 * Lanes are shared between instances with leases (see {@link LaneLeases}). Each batch
 * runs in one database transaction that first locks the lanes this instance holds a
 * valid lease on, then reads their oldest events, sends them all, awaits the
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

	private final OutboxSender sender;

	private final TransactionTemplate transactionTemplate;

	private final LaneLeases leases;

	private final Settings settings;

	private final Clock clock;

	private final OutboxRelayListener listener;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable OutboxRelayObservationConvention observationConvention;

	/**
	 * How soon a relay that just relayed events looks again.
	 */
	static final Duration FOLLOW_UP = Duration.ofMillis(20);

	private final AtomicBoolean wakeUpRequested = new AtomicBoolean();

	private final AtomicBoolean followUpScheduled = new AtomicBoolean();

	private volatile @Nullable ThreadPoolTaskScheduler scheduler;

	private volatile @Nullable ThreadPoolTaskScheduler leaseScheduler;

	private volatile boolean running;

	private volatile @Nullable Instant pausedUntil;

	private int unavailableBatches;

	private int failedBatches;

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
		this.sender = sender;
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
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set a convention replacing the default one of the relay's observations.
	 * @param observationConvention the convention
	 */
	public void setObservationConvention(@Nullable OutboxRelayObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
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
		ThreadPoolTaskScheduler scheduler = scheduler("outbox-relay-");
		this.leaseScheduler = leaseScheduler;
		this.scheduler = scheduler;
		this.running = true;
		leaseScheduler.schedule(this::renewLeases, nextRenewal());
		scheduler.scheduleWithFixedDelay(this::relayPending, this.settings.pollInterval());
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
		ThreadPoolTaskScheduler scheduler = this.scheduler;
		ThreadPoolTaskScheduler leaseScheduler = this.leaseScheduler;
		if (scheduler != null && leaseScheduler != null) {
			scheduler.shutdown();
			leaseScheduler.shutdown();
			this.scheduler = null;
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
		submitRun(this.wakeUpRequested, Duration.ZERO);
	}

	/**
	 * Look again shortly after a run that relayed events, until a look finds none. While
	 * events keep coming, they are relayed within {@link #FOLLOW_UP} even when nothing
	 * wakes this relay: events committed by other instances are announced by a
	 * notification that PostgreSQL may deliver late under load, and not at all on other
	 * databases.
	 */
	private void followUp() {
		Duration pollInterval = this.settings.pollInterval();
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
		if (this.running && scheduler != null && pending.compareAndSet(false, true)) {
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
	 * Relay batches until a batch is not full, the relay stops, or a batch fails.
	 */
	void relayPending() {
		try {
			int relayed = 0;
			while (this.running && !isPaused()) {
				int read = relayBatch();
				relayed += read;
				this.failedBatches = 0;
				if (read < this.settings.batchSize()) {
					break;
				}
				// the backlog is larger than a batch: keep going without waiting
			}
			if (relayed > 0) {
				followUp();
			}
		}
		catch (RuntimeException ex) {
			// typically the database is unreachable: back off as from an unavailable broker
			this.failedBatches++;
			this.pausedUntil = this.clock.instant().plus(pauseDelay(this.failedBatches));
			logger.warn("Outbox relay batch failed, relay paused until " + this.pausedUntil + ": " + ex.getMessage(),
					(this.failedBatches == 1) ? ex : null);
		}
	}

	/**
	 * Relay one batch.
	 * @return the number of events read, sent or not
	 */
	int relayBatch() {
		Instant start = this.clock.instant();
		Outcome outcome = this.transactionTemplate.execute((status) -> {
			Instant now = this.clock.instant();
			this.store.beforeRelayBatch();
			List<Integer> lanes = this.leases.lock(now);
			if (lanes.isEmpty()) {
				return Outcome.NONE;
			}
			List<OutboxRecord> records = this.store
				.fetch((lanes.size() == this.store.getLanes()) ? null : lanes, now, this.settings.batchSize());
			if (records.isEmpty()) {
				return Outcome.NONE;
			}
			Instant fetched = this.clock.instant();
			// whether a synchronously failed send may succeed later, decided once per event
			Map<OutboxRecord, Boolean> retryable = new IdentityHashMap<>();
			List<@Nullable CompletableFuture<?>> results = send(records, retryable);
			Instant sent = this.clock.instant();
			Outcome settled = settle(records, results, retryable, sent);
			if (logger.isDebugEnabled()) {
				logger.debug("Relayed a batch of " + records.size() + " events from " + lanes.size() + " lanes in "
						+ Duration.between(now, this.clock.instant()).toMillis() + " ms (read "
						+ Duration.between(now, fetched).toMillis() + " ms, send "
						+ Duration.between(fetched, sent).toMillis() + " ms, settle "
						+ Duration.between(sent, this.clock.instant()).toMillis() + " ms)");
			}
			return settled;
		});
		if (outcome == null || outcome.read() == 0) {
			return 0;
		}
		notifyListener(outcome, Duration.between(start, this.clock.instant()));
		return outcome.read();
	}

	private void notifyListener(Outcome outcome, Duration duration) {
		try {
			outcome.delivered().forEach((record) -> this.listener.delivered(record, outcome.acknowledgedAt()));
			outcome.failures().forEach((failure) -> this.listener.failed(failure.record(), failure.error(), failure.dead()));
			this.listener.batchCompleted(outcome.read(), duration);
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay listener failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Send the given events in order and await their results. A later event of a key is
	 * not sent once an earlier one of that key failed in this batch before it was handed
	 * on (the sender threw or returned a failed result, as Kafka's producer does for a
	 * record over {@code max.request.size}): it waits in the table for the next batch, so
	 * that it never overtakes the failed event, whatever {@code outbox.relay.on-dead} says.
	 * @param records the events
	 * @param retryable filled with whether each event that failed at once may succeed later
	 * @return the result of each event, {@code null} for an event that was not sent
	 */
	private List<@Nullable CompletableFuture<?>> send(List<OutboxRecord> records,
			Map<OutboxRecord, Boolean> retryable) {
		List<@Nullable CompletableFuture<?>> results = new ArrayList<>(records.size());
		Set<SequenceKey> failedKeys = new HashSet<>();
		boolean senderUnusable = false;
		for (OutboxRecord record : records) {
			SequenceKey key = keyOf(record);
			if (senderUnusable || (key != null && failedKeys.contains(key))) {
				results.add(null);
				continue;
			}
			CompletableFuture<?> result = send(record, retryable);
			results.add(result);
			if (result.isCompletedExceptionally()) {
				if (key != null) {
					failedKeys.add(key);
				}
				if (Boolean.TRUE.equals(retryable.get(record))) {
					// the sender is unusable right now: leave the rest of the batch for later
					senderUnusable = true;
				}
			}
		}
		try {
			CompletableFuture.allOf(results.stream().filter((result) -> result != null).toArray(CompletableFuture[]::new))
				.get(this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// each result is inspected on its own
		}
		return results;
	}

	/**
	 * Send one event, observed.
	 * @param record the event
	 * @param retryable told whether the event may succeed later if the sender throws
	 * @return the result
	 */
	private CompletableFuture<?> send(OutboxRecord record, Map<OutboxRecord, Boolean> retryable) {
		Observation observation = OutboxRelayObservation.RELAY.observation(this.observationConvention,
				DefaultOutboxRelayObservationConvention.INSTANCE, () -> new OutboxRelayContext(record),
				this.observationRegistry);
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			return this.sender.send(record).whenComplete((result, error) -> {
				if (error != null) {
					observation.error(error);
				}
				observation.stop();
			});
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			retryable.put(record, this.sender.isRetryable(record, ex));
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static @Nullable SequenceKey keyOf(OutboxRecord record) {
		return (record.key() != null) ? new SequenceKey(record.topic(), record.key()) : null;
	}

	/**
	 * Record the results of a batch. An acknowledged event is delivered and removed, also
	 * behind a failed event of its key. A failed event that a later event of its key
	 * overtook on the broker is moved behind its key's other events with the key's next
	 * sequence, so that a consumer guarding on {@code ce_sequence} applies it when it is
	 * sent again instead of skipping it as stale; a dead one is moved when it is retried,
	 * if later events went meanwhile.
	 */
	private Outcome settle(List<OutboxRecord> records, List<@Nullable CompletableFuture<?>> results,
			Map<OutboxRecord, Boolean> knownRetryable, Instant acknowledgedAt) {
		List<Long> delivered = new ArrayList<>(results.size());
		List<OutboxRecord> deliveredRecords = new ArrayList<>(results.size());
		List<FailedSend> failedSends = new ArrayList<>();
		List<Failure> failures = new ArrayList<>();
		List<Failure> deaths = new ArrayList<>();
		List<Long> overtaken = new ArrayList<>();
		Map<SequenceKey, Integer> lastAcknowledged = new HashMap<>();
		for (int i = 0; i < results.size(); i++) {
			SequenceKey key = keyOf(records.get(i));
			CompletableFuture<?> result = results.get(i);
			if (key != null && result != null && failure(result) == null) {
				lastAcknowledged.put(key, i);
			}
		}
		Set<SequenceKey> blockedKeys = new HashSet<>();
		Instant now = this.clock.instant();
		boolean unavailable = false;
		for (int i = 0; i < results.size(); i++) {
			OutboxRecord record = records.get(i);
			SequenceKey key = keyOf(record);
			CompletableFuture<?> result = results.get(i);
			if (result == null) {
				continue;
			}
			Throwable error = failure(result);
			if (error == null) {
				delivered.add(record.id());
				deliveredRecords.add(record);
				continue;
			}
			boolean isOvertaken = key != null && lastAcknowledged.getOrDefault(key, -1) > i;
			if (key != null && blockedKeys.contains(key)) {
				// waits behind the failed event of its key, without an attempt of its own
				if (isOvertaken) {
					overtaken.add(record.id());
				}
				continue;
			}
			Boolean known = knownRetryable.get(record);
			boolean retryable = (known != null) ? known : this.sender.isRetryable(record, error);
			boolean counted = !retryable || !isUnavailable(error);
			unavailable |= !counted;
			boolean dead = !retryable || (counted && record.attempts() + 1 >= this.settings.maxAttempts());
			Duration delay = counted ? this.settings.backoff().delay(record.attempts() + 1)
					: pauseDelay(this.unavailableBatches + 1);
			(dead ? deaths : failures).add(new Failure(record.id(), now.plus(delay), describe(error), counted));
			failedSends.add(new FailedSend(record, error, dead));
			if (isOvertaken && !dead) {
				overtaken.add(record.id());
			}
			if (key != null && (!dead || this.store.isDeadEventsBlockTheirKey())) {
				blockedKeys.add(key);
			}
		}
		this.store.published(delivered, now);
		if (!failures.isEmpty()) {
			logger.warn(failures.size() + " outbox events failed and will be retried, first error: "
					+ failures.get(0).error());
			this.store.markFailed(failures);
		}
		if (!deaths.isEmpty()) {
			logger.error(deaths.size() + " outbox events are dead and will not be retried automatically, first error: "
					+ deaths.get(0).error());
			this.store.markDead(deaths, now);
		}
		this.store.moveBehindTheirKeys(overtaken);
		if (!delivered.isEmpty()) {
			this.unavailableBatches = 0;
		}
		else if (unavailable) {
			this.unavailableBatches++;
			this.pausedUntil = now.plus(pauseDelay(this.unavailableBatches));
			logger.warn("Outbox destination unavailable, relay paused until " + this.pausedUntil);
		}
		return new Outcome(records.size(), deliveredRecords, failedSends, acknowledgedAt);
	}

	private boolean isUnavailable(Throwable error) {
		return error instanceof TimeoutException || this.sender.isUnavailable(error);
	}

	private Duration pauseDelay(int unavailableBatches) {
		Duration delay = this.settings.backoff().delay(unavailableBatches);
		return (delay.compareTo(MAX_PAUSE) > 0) ? MAX_PAUSE : delay;
	}

	private static @Nullable Throwable failure(CompletableFuture<?> result) {
		if (!result.isDone()) {
			return new TimeoutException("No acknowledgement within the send timeout");
		}
		try {
			result.getNow(null);
			return null;
		}
		catch (RuntimeException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	private boolean isPaused() {
		Instant pausedUntil = this.pausedUntil;
		return pausedUntil != null && this.clock.instant().isBefore(pausedUntil);
	}

	private static String describe(Throwable error) {
		String description = error.getClass().getName() + ": " + error.getMessage();
		Throwable cause = NestedExceptionUtils.getRootCause(error);
		return (cause != null) ? description + " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")"
				: description;
	}

	private record FailedSend(OutboxRecord record, Throwable error, boolean dead) {

	}

	private record Outcome(int read, List<OutboxRecord> delivered, List<FailedSend> failures, Instant acknowledgedAt) {

		static final Outcome NONE = new Outcome(0, List.of(), List.of(), Instant.EPOCH);

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
	 */
	public record Settings(String instanceId, Duration pollInterval, int batchSize, Duration sendTimeout,
			Duration shutdownTimeout, Duration leaseTime, int maxAttempts, RetryBackoff backoff) {

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
		}

		private static boolean isPositive(@Nullable Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

	}

}
