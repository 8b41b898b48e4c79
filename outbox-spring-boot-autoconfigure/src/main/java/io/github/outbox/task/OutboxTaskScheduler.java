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

package io.github.outbox.task;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A scheduler of the starter's background work that runs one task at a time, and its
 * shutdown: {@link #stopAccepting()} refuses further tasks without waiting,
 * {@link #shutdown()} then waits for the task in progress, at most the time it was
 * created with. Tasks scheduled for later do not run once it stops accepting tasks.
 *
 * @author Outbox contributors
 */
public final class OutboxTaskScheduler {

	private final TaskScheduler scheduler;

	private final Runnable stopAccepting;

	private final Runnable shutdown;

	private OutboxTaskScheduler(TaskScheduler scheduler, Runnable stopAccepting, Runnable shutdown) {
		this.scheduler = scheduler;
		this.stopAccepting = stopAccepting;
		this.shutdown = shutdown;
	}

	/**
	 * Use and initialize the given scheduler.
	 * @param scheduler the scheduler, not yet initialized
	 * @return the scheduler
	 */
	static OutboxTaskScheduler of(ThreadPoolTaskScheduler scheduler) {
		// a shutdown waits for the task in progress, not for those scheduled later, such
		// as the next lease renewal a third of the lease time ahead
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		scheduler.initialize();
		return new OutboxTaskScheduler(scheduler, () -> scheduler.getScheduledExecutor().shutdown(),
				scheduler::shutdown);
	}

	/**
	 * Use the given scheduler.
	 * @param scheduler the scheduler
	 * @return the scheduler
	 */
	static OutboxTaskScheduler of(SimpleAsyncTaskScheduler scheduler) {
		return new OutboxTaskScheduler(scheduler, scheduler::stop, scheduler::close);
	}

	/**
	 * Run the given task at the given time.
	 * @param task the task
	 * @param startTime when to run it
	 * @return the task's future
	 * @throws org.springframework.core.task.TaskRejectedException if the scheduler no
	 * longer accepts tasks
	 */
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		return this.scheduler.schedule(task, startTime);
	}

	/**
	 * Run the given task as soon as the task in progress, if any, ended.
	 * @param task the task
	 * @return the task's future
	 * @throws org.springframework.core.task.TaskRejectedException if the scheduler no
	 * longer accepts tasks
	 */
	public ScheduledFuture<?> execute(Runnable task) {
		return this.scheduler.schedule(task, now());
	}

	/**
	 * Run the given task now and then again each time the given delay after its last run
	 * ended.
	 * @param task the task
	 * @param delay the delay between the end of a run and the start of the next
	 * @return the task's future
	 */
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(task, delay);
	}

	/**
	 * The current time of the scheduler's clock.
	 * @return the current time
	 */
	public Instant now() {
		return this.scheduler.getClock().instant();
	}

	/**
	 * Refuse further tasks and stop repeating the repeated ones, without waiting for the
	 * task in progress.
	 */
	public void stopAccepting() {
		this.stopAccepting.run();
	}

	/**
	 * Refuse further tasks, then wait for the task in progress, at most the time the
	 * scheduler was created with.
	 */
	public void shutdown() {
		this.stopAccepting.run();
		this.shutdown.run();
	}

}
