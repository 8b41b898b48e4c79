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

package io.github.outbox.benchmarks.peer;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Warm-up of a peer process until its JIT compiler is quiet, as in a service that has
 * been running for a while. A fresh JVM keeps compiling for hundreds of thousands of
 * events: the Kafka producer's network thread, for one, runs its methods once per
 * request, not per record, and reaches the optimizing compiler late. Measured before it
 * is done, a drain shares the machine's two cores with the compiler.
 */
final class JitWarmUp {

	/**
	 * A unit of warm-up counts as quiet when the compiler worked for less than this share
	 * of its time.
	 */
	private static final double QUIET = 0.02;

	/**
	 * The longest warm-up while waiting for the JIT compiler to be quiet.
	 */
	private static final Duration MAX_WARM_UP = Duration.ofMinutes(2);

	private static final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();

	private JitWarmUp() {
	}

	/**
	 * Run the given unit of warm-up until the compiler was quiet during one run, at least
	 * once and no longer than two minutes.
	 * @param unit the warm-up, which says whether the compiler was quiet while it ran
	 * @return the number of runs
	 * @throws Exception if the unit fails
	 */
	static int untilQuiet(Unit unit) throws Exception {
		long deadline = System.nanoTime() + MAX_WARM_UP.toNanos();
		int runs = 0;
		boolean quiet = false;
		while (runs == 0 || (!quiet && System.nanoTime() < deadline)) {
			quiet = unit.run();
			runs++;
		}
		return runs;
	}

	/**
	 * Whether the compiler was quiet during a measured time.
	 * @param nanos the measured time
	 * @param compileMillis the compiler's time meanwhile
	 * @return whether it was quiet
	 */
	static boolean quiet(long nanos, long compileMillis) {
		return compileMillis < QUIET * TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/**
	 * Run the given work and say whether the compiler was quiet meanwhile.
	 * @param work the work
	 * @return whether the compiler was quiet
	 * @throws Exception if the work fails
	 */
	static boolean quietDuring(Work work) throws Exception {
		long compiledBefore = compileMillis();
		long start = System.nanoTime();
		work.run();
		return quiet(System.nanoTime() - start, compileMillis() - compiledBefore);
	}

	/**
	 * The time the JIT compiler has spent so far, all its threads together.
	 * @return milliseconds
	 */
	static long compileMillis() {
		return compiler.getTotalCompilationTime();
	}

	@FunctionalInterface
	interface Unit {

		/**
		 * Run the warm-up once.
		 * @return whether the compiler was quiet meanwhile
		 * @throws Exception if the warm-up fails
		 */
		boolean run() throws Exception;

	}

	@FunctionalInterface
	interface Work {

		void run() throws Exception;

	}

}
