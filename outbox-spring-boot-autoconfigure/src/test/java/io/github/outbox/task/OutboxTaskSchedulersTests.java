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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.core.task.TaskRejectedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OutboxTaskSchedulers} and {@link OutboxTaskScheduler}.
 */
class OutboxTaskSchedulersTests {

	@Test
	void shutdownWaitsForTheTaskInProgressOnAThreadPoolScheduler() throws Exception {
		shutdownWaitsForTheTaskInProgress(OutboxTaskSchedulers.of(new ThreadPoolTaskSchedulerBuilder()));
	}

	@Test
	void shutdownWaitsForTheTaskInProgressOnASimpleAsyncScheduler() throws Exception {
		shutdownWaitsForTheTaskInProgress(OutboxTaskSchedulers.of(new SimpleAsyncTaskSchedulerBuilder()));
	}

	private void shutdownWaitsForTheTaskInProgress(OutboxTaskSchedulers schedulers) throws Exception {
		OutboxTaskScheduler scheduler = schedulers.create("test-", Duration.ofSeconds(5), false);
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean ended = new AtomicBoolean();
		scheduler.execute(() -> {
			started.countDown();
			sleep(300);
			ended.set(true);
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		scheduler.shutdown();
		assertThat(ended).isTrue();
	}

	@Test
	void aSchedulerThatStoppedAcceptingRefusesTasks() {
		OutboxTaskScheduler scheduler = OutboxTaskSchedulers.platformThreads().create("test-", Duration.ZERO, true);
		scheduler.stopAccepting();
		assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> scheduler.execute(() -> {
		}));
		scheduler.shutdown();
	}

	@Test
	void threadsAreNamedWithThePrefixAndAreDaemonThreadsWhenAsked() throws Exception {
		for (boolean daemon : new boolean[] { true, false }) {
			OutboxTaskScheduler scheduler = OutboxTaskSchedulers.platformThreads()
				.create("named-", Duration.ZERO, daemon);
			AtomicReference<Thread> thread = new AtomicReference<>();
			scheduler.execute(() -> thread.set(Thread.currentThread())).get(5, TimeUnit.SECONDS);
			scheduler.shutdown();
			assertThat(thread.get().getName()).startsWith("named-");
			assertThat(thread.get().isDaemon()).isEqualTo(daemon);
		}
	}

	@Test
	void aSimpleAsyncSchedulerRunsOneTaskAtATime() throws Exception {
		OutboxTaskScheduler scheduler = OutboxTaskSchedulers.of(new SimpleAsyncTaskSchedulerBuilder())
			.create("one-", Duration.ofSeconds(5), false);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(10);
		for (int i = 0; i < 10; i++) {
			scheduler.execute(() -> {
				mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
				sleep(20);
				running.decrementAndGet();
				done.countDown();
			});
		}
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		scheduler.shutdown();
		assertThat(mostAtOnce).hasValue(1);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
