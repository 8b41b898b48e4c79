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
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * When the relay pauses: after a batch that found the destination unavailable, and after
 * a batch that failed (typically the database is unreachable), for a delay growing with
 * each such batch by the retry backoff, at most {@link #MAX_PAUSE}. A batch that
 * delivered events ends the pause.
 *
 * @author Outbox contributors
 */
final class RelayPause {

	/**
	 * Longest pause between two batches while the destination is unavailable, so that the
	 * backlog drains soon after it returns.
	 */
	static final Duration MAX_PAUSE = Duration.ofSeconds(30);

	private final RetryBackoff backoff;

	private final Clock clock;

	private final AtomicInteger unavailableBatches = new AtomicInteger();

	private volatile @Nullable Instant pausedUntil;

	RelayPause(RetryBackoff backoff, Clock clock) {
		this.backoff = backoff;
		this.clock = clock;
	}

	/**
	 * The pause that would follow if the next batch found the destination unavailable.
	 */
	Duration nextUnavailablePause() {
		return delay(this.unavailableBatches.get() + 1);
	}

	/**
	 * A batch delivered events: the destination is available.
	 */
	void delivered() {
		this.unavailableBatches.set(0);
	}

	/**
	 * A batch found the destination unavailable: pause for longer than last time.
	 * @param now the current time
	 * @return the end of the pause
	 */
	Instant destinationUnavailable(Instant now) {
		return pauseUntil(now.plus(delay(this.unavailableBatches.incrementAndGet())));
	}

	/**
	 * The given number of batches in a row failed.
	 * @param failedBatches the number of batches that failed in a row
	 * @return the end of the pause
	 */
	Instant batchesFailed(int failedBatches) {
		return pauseUntil(this.clock.instant().plus(delay(failedBatches)));
	}

	boolean isPaused() {
		Instant pausedUntil = this.pausedUntil;
		return pausedUntil != null && this.clock.instant().isBefore(pausedUntil);
	}

	private Instant pauseUntil(Instant until) {
		this.pausedUntil = until;
		return until;
	}

	private Duration delay(int batches) {
		Duration delay = this.backoff.delay(batches);
		return (delay.compareTo(MAX_PAUSE) > 0) ? MAX_PAUSE : delay;
	}

}
