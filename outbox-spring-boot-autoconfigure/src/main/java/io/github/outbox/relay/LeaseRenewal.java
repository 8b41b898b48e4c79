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
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.outbox.task.OutboxTaskScheduler;
import org.springframework.core.task.TaskRejectedException;

/**
 * Renews this instance's lane leases on two threads of its own. One claims: it records a
 * heartbeat and takes the lanes of instances that left or died, a third of the lease time
 * after its last look, or as soon as a heartbeat or lease of another instance is due to
 * expire, so that the lanes of an instance that died are taken over when their leases
 * expire, not up to a renewal period later. The other extends the leases this instance
 * holds a third of the lease time after its last extension, so that a long drain never
 * lets them expire; it waits for this instance's batches to release their lanes, which
 * the claims therefore never wait for.
 *
 * @author Outbox contributors
 */
final class LeaseRenewal {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private static final Log renewalLogger = LogFactory.getLog(LeaseRenewal.class);

	private final LaneLeases leases;

	private final OutboxTaskScheduler claims;

	private final OutboxTaskScheduler extensions;

	private final Duration leaseTime;

	private final Clock clock;

	private final BooleanSupplier running;

	LeaseRenewal(LaneLeases leases, OutboxTaskScheduler claims, OutboxTaskScheduler extensions, Duration leaseTime,
			Clock clock, BooleanSupplier running) {
		this.leases = leases;
		this.claims = claims;
		this.extensions = extensions;
		this.leaseTime = leaseTime;
		this.clock = clock;
		this.running = running;
	}

	void start() {
		this.claims.schedule(this::claim, nextClaim());
		// not at once: the relay's start has just extended the leases, and an extension
		// holds the rows of the lanes it extends locked, so that a batch starting
		// meanwhile skips them
		scheduleExtension();
	}

	private void scheduleExtension() {
		schedule(this.extensions, this::extend, this.clock.instant().plus(this.leaseTime.dividedBy(3)));
	}

	private static void schedule(OutboxTaskScheduler scheduler, Runnable task, Instant at) {
		try {
			scheduler.schedule(task, at);
		}
		catch (TaskRejectedException ex) {
			// stopping
		}
	}

	void stop() {
		this.claims.shutdown();
		this.extensions.shutdown();
	}

	private void claim() {
		if (!this.running.getAsBoolean()) {
			return;
		}
		long started = System.nanoTime();
		try {
			List<Integer> taken = this.leases.claim();
			if (renewalLogger.isDebugEnabled()) {
				renewalLogger.debug("Looked for outbox lanes to take for " + this.leases.instanceId() + " in "
						+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms: took " + taken.size()
						+ ", holds " + this.leases.owned().size()
						+ " lanes, next expiry of another instance's lease or heartbeat " + this.leases.nextExpiry());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not take outbox lanes for " + this.leases.instanceId() + ": " + ex.getMessage());
		}
		if (this.running.getAsBoolean()) {
			schedule(this.claims, this::claim, nextClaim());
		}
	}

	private void extend() {
		if (!this.running.getAsBoolean()) {
			return;
		}
		long started = System.nanoTime();
		try {
			List<Integer> held = this.leases.extend();
			if (renewalLogger.isDebugEnabled()) {
				renewalLogger.debug("Extended the outbox lane leases of " + this.leases.instanceId() + " in "
						+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms: holds " + held.size()
						+ " lanes");
			}
		}
		catch (RuntimeException ex) {
			logger.warn(
					"Could not extend the outbox lane leases of " + this.leases.instanceId() + ": " + ex.getMessage());
		}
		if (this.running.getAsBoolean()) {
			scheduleExtension();
		}
	}

	private Instant nextClaim() {
		Instant now = this.clock.instant();
		Instant next = now.plus(this.leaseTime.dividedBy(3));
		Instant nextExpiry = this.leases.nextExpiry();
		if (nextExpiry != null && nextExpiry.isBefore(next)) {
			Instant takeover = nextExpiry.plusMillis(20);
			next = takeover.isAfter(now) ? takeover : now.plusMillis(20);
		}
		return next;
	}

}
