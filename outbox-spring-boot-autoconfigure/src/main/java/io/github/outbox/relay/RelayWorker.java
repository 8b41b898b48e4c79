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

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.outbox.task.OutboxTaskScheduler;
import org.springframework.core.task.TaskRejectedException;

/**
 * Relays one group of lanes on a thread of its own, one batch after the other: never two
 * batches of one lane at once. The workers of the other groups read and settle their
 * batches while this one awaits its acknowledgements. A worker runs every poll interval,
 * when woken (a transaction with events committed), and shortly after any worker relayed
 * events; requests for a run are coalesced per reason. A wake-up or a follow-up look less
 * than the linger after the start of the previous run waits for the rest of it, so that
 * under a steady stream of commits a run relays the events of several.
 *
 * @author Outbox contributors
 */
final class RelayWorker {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	/**
	 * How soon a relay that just relayed events looks again.
	 */
	static final Duration FOLLOW_UP = Duration.ofMillis(20);

	private final LaneGroup group;

	private final OutboxTaskScheduler scheduler;

	private final BatchRelay batches;

	private final RelayPause pause;

	private final BooleanSupplier running;

	private final Duration pollInterval;

	private final long lingerNanos;

	private final int batchSize;

	private final Runnable afterRelayed;

	private final AtomicBoolean wakeUpRequested = new AtomicBoolean();

	private final Object followUpMonitor = new Object();

	/**
	 * Identifies the follow-up look that is due; a look scheduled earlier and overtaken
	 * by a sooner one does not run.
	 */
	private long followUpGeneration;

	private long followUpDue;

	private boolean followUpPending;

	private final ReentrantLock lock = new ReentrantLock();

	private int failedBatches;

	private volatile long lastRunStart;

	/**
	 * Create a worker.
	 * @param group the lanes it relays
	 * @param scheduler its thread
	 * @param batches relays one batch
	 * @param pause the relay's pause, shared by its workers
	 * @param running whether the relay runs
	 * @param pollInterval time between two runs when nothing woke the worker
	 * @param linger least time between the start of a run and a run for a wake-up
	 * @param batchSize the largest batch: a full batch is followed by the next at once
	 * @param afterRelayed called after a run that relayed events
	 */
	RelayWorker(LaneGroup group, OutboxTaskScheduler scheduler, BatchRelay batches, RelayPause pause,
			BooleanSupplier running, Duration pollInterval, Duration linger, int batchSize, Runnable afterRelayed) {
		this.group = group;
		this.scheduler = scheduler;
		this.batches = batches;
		this.pause = pause;
		this.running = running;
		this.pollInterval = pollInterval;
		this.lingerNanos = linger.toNanos();
		this.lastRunStart = System.nanoTime() - this.lingerNanos;
		this.batchSize = batchSize;
		this.afterRelayed = afterRelayed;
	}

	void start() {
		this.scheduler.scheduleWithFixedDelay(this::relayScheduled, this.pollInterval);
	}

	void stopScheduling() {
		this.scheduler.stopAccepting();
	}

	/**
	 * Wait for the batch in progress, at most the shutdown timeout.
	 */
	void awaitStop() {
		this.scheduler.shutdown();
	}

	void wakeUp() {
		long wait = lingerEnd() - System.nanoTime();
		submitRun(this.wakeUpRequested, (wait > 0) ? Duration.ofNanos(wait) : Duration.ZERO);
	}

	/**
	 * Look again shortly after a run of any worker that relayed events; after a look that
	 * finds none, look again after twice the delay, until the delay reaches the poll
	 * interval. While events keep coming, they are relayed within {@link #FOLLOW_UP} even
	 * when nothing wakes this relay, and a pause in the commits of a few milliseconds
	 * does not leave the next ones to the poll: events committed by other instances are
	 * announced by a notification that PostgreSQL may deliver late under load, and not at
	 * all on other databases.
	 */
	void followUp() {
		scheduleFollowUp(FOLLOW_UP);
	}

	private void scheduleFollowUp(Duration delay) {
		scheduleFollowUp(delay, delay);
	}

	/**
	 * Schedule a follow-up look.
	 * @param wait how long from now
	 * @param delay the delay it stands for: after a look that finds nothing, the next
	 * waits twice as long
	 */
	private void scheduleFollowUp(Duration wait, Duration delay) {
		if (delay.compareTo(this.pollInterval) >= 0 || !this.running.getAsBoolean()) {
			// the poll looks as soon
			return;
		}
		synchronized (this.followUpMonitor) {
			long now = System.nanoTime();
			// like a wake-up, a look waits for the linger after the start of the last run
			long due = Math.max(now + wait.toNanos(), lingerEnd());
			if (this.followUpPending && this.followUpDue - due <= 0) {
				// the look already scheduled comes as soon
				return;
			}
			long generation = ++this.followUpGeneration;
			this.followUpPending = true;
			this.followUpDue = due;
			try {
				this.scheduler.schedule(() -> lookAgain(generation, delay), this.scheduler.now().plusNanos(due - now));
			}
			catch (TaskRejectedException ex) {
				this.followUpPending = false;
			}
		}
	}

	private void lookAgain(long generation, Duration delay) {
		synchronized (this.followUpMonitor) {
			if (generation != this.followUpGeneration) {
				// overtaken by a sooner look
				return;
			}
			this.followUpPending = false;
		}
		long sinceLastRun = System.nanoTime() - this.lastRunStart;
		if (sinceLastRun < delay.toNanos()) {
			// a run started after this look was scheduled saw what it would see: look
			// the same delay after that run instead, which under a steady stream of
			// wake-ups is never
			scheduleFollowUp(delay.minusNanos(sinceLastRun), delay);
			return;
		}
		if (relayPending() == 0) {
			scheduleFollowUp(delay.multipliedBy(2));
		}
	}

	/**
	 * Return when the linger after the start of the last run ends: no run for a wake-up
	 * or a follow-up look starts before.
	 * @return the time, in {@link System#nanoTime()}
	 */
	private long lingerEnd() {
		return this.lastRunStart + this.lingerNanos;
	}

	/**
	 * Submit a run after the given delay, unless one submitted for the same reason is
	 * still pending: runs are coalesced per reason.
	 * @param pending whether a run for this reason is pending, cleared when it starts
	 * @param delay the delay
	 */
	private void submitRun(AtomicBoolean pending, Duration delay) {
		if (this.running.getAsBoolean() && pending.compareAndSet(false, true)) {
			try {
				this.scheduler.schedule(() -> {
					pending.set(false);
					relayScheduled();
				}, this.scheduler.now().plus(delay));
			}
			catch (TaskRejectedException ex) {
				pending.set(false);
			}
		}
	}

	/**
	 * Run for the poll or a wake-up, and look again shortly if the run skipped lanes this
	 * instance holds because the extension of its leases had them locked: their events
	 * would otherwise wait for the next wake-up or poll. A look that finds them locked
	 * again and relays nothing looks again after twice the delay, as any look.
	 */
	private void relayScheduled() {
		relayPending();
		if (this.batches.foundLanesLocked(this.group)) {
			followUp();
		}
	}

	/**
	 * Relay batches until a batch is not full, the relay stops, or a batch fails. Runs
	 * one at a time, whatever thread the scheduler runs it on.
	 * @return the number of events relayed
	 */
	int relayPending() {
		this.lock.lock();
		try {
			this.lastRunStart = System.nanoTime();
			return relayBatches();
		}
		finally {
			this.lock.unlock();
		}
	}

	private int relayBatches() {
		int relayed = 0;
		try {
			while (this.running.getAsBoolean() && !this.pause.isPaused()) {
				int read = this.batches.relay(this.group);
				relayed += read;
				this.failedBatches = 0;
				if (read < this.batchSize) {
					break;
				}
				// the backlog is larger than a batch: keep going without waiting
			}
			if (relayed > 0) {
				// events committed elsewhere meanwhile may be in any worker's lanes
				this.afterRelayed.run();
			}
		}
		catch (RuntimeException ex) {
			// typically the database is unreachable: back off as from an unavailable
			// broker
			this.failedBatches++;
			logger.warn("Outbox relay batch failed, relay paused until " + this.pause.batchesFailed(this.failedBatches)
					+ ": " + ex.getMessage(), (this.failedBatches == 1) ? ex : null);
		}
		return relayed;
	}

}
