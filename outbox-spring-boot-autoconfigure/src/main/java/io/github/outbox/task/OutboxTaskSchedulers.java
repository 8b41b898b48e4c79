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

import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.Assert;

/**
 * Creates the schedulers of the starter's background threads. The auto-configuration
 * builds them from Spring Boot's {@link ThreadPoolTaskSchedulerBuilder}, or from its
 * {@link SimpleAsyncTaskSchedulerBuilder} when virtual threads are enabled
 * ({@code spring.threads.virtual.enabled=true} on Java 21 or later), so that the
 * application's scheduler customizers and task decorator apply to them.
 *
 * @author Outbox contributors
 */
@FunctionalInterface
public interface OutboxTaskSchedulers {

	/**
	 * Create a scheduler that runs one task at a time, on threads whose names start with
	 * the given prefix.
	 * @param threadNamePrefix the prefix of its thread names, such as
	 * {@code outbox-relay-}
	 * @param awaitTermination how long {@link OutboxTaskScheduler#shutdown()} waits for
	 * the task in progress to end; zero not to wait
	 * @param daemon whether its threads are daemon threads, which do not keep the JVM
	 * alive: true for work that only serves the application's other work (the monitor,
	 * purges, notifications), false for the relay's own work
	 * @return a started scheduler
	 */
	OutboxTaskScheduler create(String threadNamePrefix, Duration awaitTermination, boolean daemon);

	/**
	 * Schedulers of one platform thread each, built from the given builder.
	 * @param builder the builder, typically Spring Boot's auto-configured one
	 * @return the schedulers
	 */
	static OutboxTaskSchedulers of(ThreadPoolTaskSchedulerBuilder builder) {
		Assert.notNull(builder, "'builder' must not be null");
		return (threadNamePrefix, awaitTermination, daemon) -> {
			ThreadPoolTaskScheduler scheduler = builder.poolSize(1)
				.threadNamePrefix(threadNamePrefix)
				.awaitTermination(true)
				.awaitTerminationPeriod(awaitTermination)
				.build();
			scheduler.setDaemon(daemon);
			return OutboxTaskScheduler.of(scheduler);
		};
	}

	/**
	 * Schedulers that run their tasks one at a time on threads of the given builder,
	 * virtual threads when it says so (virtual threads are always daemon threads).
	 * @param builder the builder, typically Spring Boot's auto-configured one
	 * @return the schedulers
	 */
	static OutboxTaskSchedulers of(SimpleAsyncTaskSchedulerBuilder builder) {
		Assert.notNull(builder, "'builder' must not be null");
		return (threadNamePrefix, awaitTermination,
				daemon) -> OutboxTaskScheduler.of(builder.threadNamePrefix(threadNamePrefix)
					.concurrencyLimit(1)
					.taskTerminationTimeout(awaitTermination)
					.build());
	}

	/**
	 * Schedulers of one platform thread each, as without Spring Boot's builders.
	 * @return the schedulers
	 */
	static OutboxTaskSchedulers platformThreads() {
		return of(new ThreadPoolTaskSchedulerBuilder());
	}

}
