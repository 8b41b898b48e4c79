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

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * What the benchmark processes share: a load at a fixed rate and the percentiles of its
 * latencies.
 */
public final class Pacing {

	private Pacing() {
	}

	/**
	 * Run the given action for {@code 0 .. total - 1}, each when it is due at the given
	 * rate; when an action runs late, the ones due meanwhile follow at once.
	 * @param rate the actions per second
	 * @param total the number of actions
	 * @param action what to do, given the number of the action
	 * @return the rate achieved, per second
	 * @throws InterruptedException if interrupted while waiting for the next action
	 */
	public static long atRate(int rate, long total, LongConsumer action) throws InterruptedException {
		long start = System.nanoTime();
		for (long i = 0; i < total; i++) {
			long wait = start + i * TimeUnit.SECONDS.toNanos(1) / rate - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			action.accept(i);
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
