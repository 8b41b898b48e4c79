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

package io.github.outbox.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * What the benchmark processes share: a load at a fixed rate and the percentiles of its
 * latencies.
 */
public final class Pacing {

	private Pacing() {
	}

	/**
	 * Seconds of the same load, not measured, before a steady load is measured.
	 */
	public static final int WARM_UP_SECONDS = 5;

	/**
	 * The writer threads of a load at a fixed rate: one thread publishing one event per
	 * transaction does at most one per commit time (about 1,400 per second here), below
	 * the rates measured, so the due actions are spread over this many threads.
	 */
	public static final int WRITERS = 4;

	/**
	 * Run the given action for {@code 0 .. total - 1}, each when it is due at the given
	 * rate, over {@link #WRITERS} threads (action {@code i} on thread
	 * {@code i % WRITERS}); when a thread runs late, its actions due meanwhile follow at
	 * once.
	 * @param rate the actions per second
	 * @param total the number of actions
	 * @param action what to do, given the number of the action; called from several
	 * threads at once
	 * @return the rate achieved, per second
	 * @throws InterruptedException if interrupted while waiting for the next action
	 */
	public static long atRate(int rate, long total, LongConsumer action) throws InterruptedException {
		long start = System.nanoTime();
		List<Thread> writers = new ArrayList<>(WRITERS);
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		for (int writer = 0; writer < WRITERS; writer++) {
			int first = writer;
			Thread thread = new Thread(() -> {
				try {
					for (long i = first; i < total && failure.get() == null; i += WRITERS) {
						long wait = start + i * TimeUnit.SECONDS.toNanos(1) / rate - System.nanoTime();
						if (wait > 0) {
							TimeUnit.NANOSECONDS.sleep(wait);
						}
						action.accept(i);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				catch (RuntimeException ex) {
					failure.compareAndSet(null, ex);
				}
			}, "paced-writer-" + writer);
			thread.start();
			writers.add(thread);
		}
		for (Thread writer : writers) {
			writer.join();
		}
		RuntimeException error = failure.get();
		if (error != null) {
			throw error;
		}
		return total * TimeUnit.SECONDS.toNanos(1) / (System.nanoTime() - start);
	}

	/**
	 * Return the given percentile of sorted values, 0 if there are none.
	 * @param sorted the values, in ascending order
	 * @param p the percentile, between 0 and 1
	 * @return the value
	 */
	public static long percentile(long[] sorted, double p) {
		return (sorted.length == 0) ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
	}

}
