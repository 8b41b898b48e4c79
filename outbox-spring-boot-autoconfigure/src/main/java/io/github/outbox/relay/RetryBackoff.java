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
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.Assert;

/**
 * Exponential backoff with jitter between the send attempts of an event.
 *
 * @param initialDelay delay after the first failed attempt
 * @param multiplier factor applied to the delay after each further failed attempt
 * @param maxDelay upper bound of the delay
 * @param jitter fraction of the delay, from 0 to 1, by which each delay is randomly
 * shortened or lengthened so that retries of many events spread out
 * @author Outbox contributors
 */
public record RetryBackoff(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {

	public RetryBackoff {
		Assert.isTrue(initialDelay != null && !initialDelay.isNegative(), "'initialDelay' must not be negative");
		Assert.isTrue(multiplier >= 1, "'multiplier' must be at least 1");
		Assert.isTrue(maxDelay != null && maxDelay.compareTo(initialDelay) >= 0,
				"'maxDelay' must not be shorter than 'initialDelay'");
		Assert.isTrue(jitter >= 0 && jitter <= 1, "'jitter' must be between 0 and 1");
	}

	/**
	 * Return the delay before the next attempt.
	 * @param failedAttempts the number of failed attempts so far, at least 1
	 * @return the delay
	 */
	public Duration delay(int failedAttempts) {
		double base = this.initialDelay.toMillis() * Math.pow(this.multiplier, Math.max(0, failedAttempts - 1));
		double capped = Math.min(base, this.maxDelay.toMillis());
		double spread = capped * this.jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Duration.ofMillis(Math.round(Math.min(this.maxDelay.toMillis(), Math.max(0, capped + spread))));
	}

}
