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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.store.OutboxRecord;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxStore.Failure;
import io.github.outbox.store.SequenceKey;
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
 * Relays pending outbox events to an {@link OutboxSender}. Runs on a scheduler thread of
 * its own: every poll interval, and at once when a transaction with events committed.
 * <p>
 * Each batch runs in one database transaction that first locks the lanes no other
 * instance holds, then reads their oldest events, sends them all, awaits the
 * acknowledgements and deletes the acknowledged events. Holding the lane locks until the
 * deletes commit is what keeps one sender per key across instances.
 * <p>
 * When an event fails, it is kept with its error and a next attempt time, and the later
 * events of its key are kept too, even if they were acknowledged, so that they are sent
 * again after it and the last copy a consumer sees is in order.
 *
 * @author Outbox contributors
 */
public class OutboxRelay implements SmartLifecycle, OutboxCommitListener {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final OutboxStore store;

	private final OutboxSender sender;

	private final TransactionTemplate transactionTemplate;

	private final Settings settings;

	private final Clock clock;

	private final AtomicBoolean wakeUpRequested = new AtomicBoolean();

	private volatile @Nullable ThreadPoolTaskScheduler scheduler;

	private volatile boolean running;

	/**
	 * Create a relay.
	 * @param store the store of the outbox tables
	 * @param dataSource the data source of the outbox tables
	 * @param sender the sender
	 * @param settings the relay settings
	 * @param clock the clock
	 */
	public OutboxRelay(OutboxStore store, DataSource dataSource, OutboxSender sender, Settings settings, Clock clock) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(sender, "'sender' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.store = store;
		this.sender = sender;
		this.settings = settings;
		this.clock = clock;
		this.transactionTemplate = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.transactionTemplate.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
	}

	@Override
	public void start() {
		this.transactionTemplate.executeWithoutResult((status) -> this.store.createLanes());
		long stranded = this.store.countEventsBeyondLanes();
		if (stranded > 0) {
			logger.error(stranded + " outbox events belong to lanes beyond outbox.lanes=" + this.store.getLanes()
					+ " and will not be relayed: restore the previous lane count until the table is drained");
		}
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("outbox-relay-");
		scheduler.setWaitForTasksToCompleteOnShutdown(true);
		scheduler.setAwaitTerminationMillis(this.settings.shutdownTimeout().toMillis());
		scheduler.initialize();
		this.scheduler = scheduler;
		this.running = true;
		scheduler.scheduleWithFixedDelay(this::relayPending, this.settings.pollInterval());
	}

	@Override
	public void stop() {
		this.running = false;
		ThreadPoolTaskScheduler scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdown();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void committed(int eventCount) {
		ThreadPoolTaskScheduler scheduler = this.scheduler;
		if (this.running && scheduler != null && this.wakeUpRequested.compareAndSet(false, true)) {
			try {
				scheduler.execute(this::wakeUp);
			}
			catch (TaskRejectedException ex) {
				this.wakeUpRequested.set(false);
			}
		}
	}

	private void wakeUp() {
		this.wakeUpRequested.set(false);
		relayPending();
	}

	/**
	 * Relay batches until a batch is not full, the relay stops, or a batch fails.
	 */
	void relayPending() {
		try {
			while (this.running && relayBatch() == this.settings.batchSize()) {
				// the backlog is larger than a batch: keep going without waiting
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay batch failed, retrying at the next poll: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Relay one batch.
	 * @return the number of events read, sent or not
	 */
	int relayBatch() {
		Integer read = this.transactionTemplate.execute((status) -> {
			List<Integer> lanes = this.store.lockFreeLanes();
			if (lanes.isEmpty()) {
				return 0;
			}
			Instant now = this.clock.instant();
			List<OutboxRecord> records = this.store
				.fetch((lanes.size() == this.store.getLanes()) ? null : lanes, now, this.settings.batchSize());
			if (!records.isEmpty()) {
				settle(records, send(records));
			}
			return records.size();
		});
		return (read != null) ? read : 0;
	}

	private List<CompletableFuture<?>> send(List<OutboxRecord> records) {
		List<CompletableFuture<?>> results = new ArrayList<>(records.size());
		for (OutboxRecord record : records) {
			try {
				results.add(this.sender.send(record));
			}
			catch (RuntimeException ex) {
				// the sender is unusable right now: leave the rest of the batch for later
				results.add(CompletableFuture.failedFuture(ex));
				break;
			}
		}
		try {
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
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

	private void settle(List<OutboxRecord> records, List<CompletableFuture<?>> results) {
		List<Long> delivered = new ArrayList<>(results.size());
		List<Failure> failures = new ArrayList<>();
		Set<SequenceKey> blockedKeys = new HashSet<>();
		Instant now = this.clock.instant();
		for (int i = 0; i < results.size(); i++) {
			OutboxRecord record = records.get(i);
			SequenceKey key = (record.key() != null) ? new SequenceKey(record.topic(), record.key()) : null;
			if (key != null && blockedKeys.contains(key)) {
				continue;
			}
			Throwable error = failure(results.get(i));
			if (error == null) {
				delivered.add(record.id());
			}
			else {
				Duration delay = this.settings.backoff().delay(record.attempts() + 1);
				failures.add(new Failure(record.id(), now.plus(delay), describe(error)));
				if (key != null) {
					blockedKeys.add(key);
				}
			}
		}
		this.store.delete(delivered);
		if (!failures.isEmpty()) {
			logger.warn(failures.size() + " outbox events failed and will be retried, first error: "
					+ failures.get(0).error());
			this.store.markFailed(failures);
		}
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

	private static String describe(Throwable error) {
		return error.getClass().getName() + ": " + error.getMessage();
	}

	/**
	 * Settings of the relay.
	 *
	 * @param pollInterval time between two polls when no commit woke the relay
	 * @param batchSize maximum number of events read and sent at once
	 * @param sendTimeout how long to wait for the acknowledgements of a batch
	 * @param shutdownTimeout how long to wait for the current batch on shutdown
	 * @param backoff delays between the attempts of a failing event
	 */
	public record Settings(Duration pollInterval, int batchSize, Duration sendTimeout, Duration shutdownTimeout,
			RetryBackoff backoff) {

		public Settings {
			Assert.isTrue(pollInterval != null && !pollInterval.isNegative() && !pollInterval.isZero(), "'pollInterval' must be positive");
			Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
			Assert.isTrue(sendTimeout != null && !sendTimeout.isNegative() && !sendTimeout.isZero(), "'sendTimeout' must be positive");
			Assert.isTrue(shutdownTimeout != null && !shutdownTimeout.isNegative(),
					"'shutdownTimeout' must not be negative");
			Assert.notNull(backoff, "'backoff' must not be null");
		}

	}

}
