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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.outbox.task.OutboxTaskScheduler;
import io.github.outbox.task.OutboxTaskSchedulers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Deletes rows older than a retention from a table, in bounded batches, on a thread of
 * its own.
 *
 * @author Outbox contributors
 */
public class RetentionPurger implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RetentionPurger.class);

	private static final int MAX_BATCHES_PER_RUN = 100;

	private final String name;

	private final Purge purge;

	private final Duration retention;

	private final Duration interval;

	private final int batchSize;

	private final Clock clock;

	private volatile @Nullable OutboxTaskScheduler scheduler;

	private OutboxTaskSchedulers taskSchedulers = OutboxTaskSchedulers.platformThreads();

	/**
	 * Create a purger.
	 * @param name what is purged, which also names the thread
	 * @param purge deletes one batch
	 * @param retention how long rows are kept
	 * @param interval time between two purges
	 * @param batchSize the maximum number of rows deleted at once
	 * @param clock the clock
	 */
	public RetentionPurger(String name, Purge purge, Duration retention, Duration interval, int batchSize,
			Clock clock) {
		Assert.hasText(name, "'name' must not be empty");
		Assert.notNull(purge, "'purge' must not be null");
		this.name = name;
		this.purge = purge;
		this.retention = retention;
		this.interval = interval;
		this.batchSize = batchSize;
		this.clock = clock;
	}

	/**
	 * Purge now.
	 * @return the number of rows deleted
	 */
	public int purge() {
		Instant before = this.clock.instant().minus(this.retention);
		return BatchedDeletes.run((limit) -> this.purge.purge(before, limit), this.batchSize, MAX_BATCHES_PER_RUN);
	}

	/**
	 * Set what creates the purger's thread. One platform thread by default.
	 * @param taskSchedulers the schedulers
	 */
	public void setTaskSchedulers(OutboxTaskSchedulers taskSchedulers) {
		Assert.notNull(taskSchedulers, "'taskSchedulers' must not be null");
		this.taskSchedulers = taskSchedulers;
	}

	@Override
	public void start() {
		OutboxTaskScheduler scheduler = this.taskSchedulers.create("outbox-" + this.name + "-purge-", Duration.ZERO,
				true);
		scheduler.scheduleWithFixedDelay(() -> {
			try {
				purge();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not purge the " + this.name + ": " + ex.getMessage());
			}
		}, this.interval);
		this.scheduler = scheduler;
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

	/**
	 * Deletes one batch of rows older than a time.
	 */
	@FunctionalInterface
	public interface Purge {

		/**
		 * Delete up to {@code limit} rows older than {@code before}.
		 * @param before the time
		 * @param limit the maximum number of rows
		 * @return the number of rows deleted
		 */
		int purge(Instant before, int limit);

	}

}
