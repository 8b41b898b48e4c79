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

package io.github.outbox.actuate;

import java.time.Clock;
import java.time.Duration;

import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the outbox: {@code DOWN} when the relay of this instance is stopped,
 * {@code OUT_OF_SERVICE} when the oldest pending event is older than the threshold or
 * there are more dead events than allowed, {@code UP} otherwise. Reads the
 * {@link OutboxMonitor}'s snapshot, never the database.
 *
 * @author Outbox contributors
 */
public class OutboxHealthIndicator extends AbstractHealthIndicator {

	private final OutboxMonitor monitor;

	private final @Nullable OutboxRelay relay;

	private final Duration maxOldestAge;

	private final long maxDead;

	private final Clock clock;

	/**
	 * Create an instance.
	 * @param monitor the monitor holding the statistics
	 * @param relay the relay of this instance, or {@code null} if it runs none
	 * @param maxOldestAge the age of the oldest pending event above which the outbox is
	 * out of service
	 * @param maxDead the number of dead events above which the outbox is out of service
	 * @param clock the clock
	 */
	public OutboxHealthIndicator(OutboxMonitor monitor, @Nullable OutboxRelay relay, Duration maxOldestAge,
			long maxDead, Clock clock) {
		super("Outbox health check failed");
		this.monitor = monitor;
		this.relay = relay;
		this.maxOldestAge = maxOldestAge;
		this.maxDead = maxDead;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		OutboxRelay relay = this.relay;
		OutboxMonitor.Snapshot snapshot = this.monitor.getSnapshot();
		builder.up();
		if (relay != null) {
			builder.withDetail("relay", relay.isRunning() ? "running" : "stopped")
				.withDetail("lanes", relay.getOwnedLanes().size());
		}
		else {
			builder.withDetail("relay", "disabled");
		}
		if (snapshot != null) {
			Duration oldestAge = snapshot.oldestPendingAge(this.clock.instant());
			long dead = snapshot.statistics().dead();
			builder.withDetail("pending", snapshot.statistics().pending())
				.withDetail("oldestPendingAgeSeconds", oldestAge.toMillis() / 1000.0)
				.withDetail("dead", dead);
			if (oldestAge.compareTo(this.maxOldestAge) > 0 || dead > this.maxDead) {
				builder.status(Status.OUT_OF_SERVICE)
					.withDetail("maxOldestPendingAgeSeconds", this.maxOldestAge.toMillis() / 1000.0)
					.withDetail("maxDead", this.maxDead);
			}
		}
		OutboxMonitor.LastError lastError = this.monitor.getLastError();
		if (lastError != null) {
			builder.withDetail("lastError", lastError.message()).withDetail("lastErrorAt", lastError.at());
		}
		if (relay != null && !relay.isRunning()) {
			builder.down();
		}
	}

}
