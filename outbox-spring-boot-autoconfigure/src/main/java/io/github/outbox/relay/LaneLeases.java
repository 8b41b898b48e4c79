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
import java.util.ArrayList;
import java.util.List;

import io.github.outbox.store.OutboxLanes;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps this instance's share of the lanes. Each renewal records a heartbeat and counts
 * the live instances, takes free or expired lanes while this instance holds fewer than
 * its fair share ({@code ceil(lanes / live instances)}), each in a short transaction of
 * its own, then extends the leases this instance holds and gives back lanes above its
 * share. When the lanes of an instance that stopped are still leased, the next renewal is
 * due when those leases expire, so they are taken over within the lease time; when
 * expired lanes are still locked by a batch of their former owner, it is due after a
 * thirtieth of the lease time. No coordinator is involved: every instance runs the same
 * rule against the lane table, and the shares converge within two renewals after an
 * instance joins or leaves.
 *
 * @author Outbox contributors
 */
final class LaneLeases {

	private final OutboxLanes lanes;

	private final TransactionTemplate transactionTemplate;

	private final String instanceId;

	private final Duration leaseTime;

	private final Clock clock;

	private volatile List<Integer> owned = List.of();

	private volatile @Nullable Instant nextExpiry;

	LaneLeases(OutboxLanes lanes, TransactionTemplate transactionTemplate, String instanceId, Duration leaseTime,
			Clock clock) {
		this.lanes = lanes;
		this.transactionTemplate = transactionTemplate;
		this.instanceId = instanceId;
		this.leaseTime = leaseTime;
		this.clock = clock;
	}

	String instanceId() {
		return this.instanceId;
	}

	List<Integer> owned() {
		return this.owned;
	}

	void createLanes() {
		this.transactionTemplate.executeWithoutResult((status) -> this.lanes.createLanes());
	}

	/**
	 * Renew, give back or take leases as described above.
	 * @return the lanes this instance holds now
	 */
	List<Integer> renew() {
		// a transaction of its own, committed at once: the renewal below may wait for
		// this
		// instance's batch to release its lanes, and must not hold the heartbeat row
		// meanwhile
		Integer liveInstances = this.transactionTemplate.execute((status) -> {
			Instant now = this.clock.instant();
			int count = this.lanes.heartbeat(this.instanceId, now, this.leaseTime);
			this.nextExpiry = this.lanes.nextExpiry(this.instanceId, now, this.leaseTime);
			return count;
		});
		int live = (liveInstances != null) ? liveInstances : 1;
		int share = (this.lanes.getLanes() + live - 1) / live;
		// free and expired lanes first, in a transaction of their own: extending this
		// instance's leases below waits for its batch to release its lanes, and taking
		// over the lanes of an instance that died must not wait for that
		Instant claimedAt = this.transactionTemplate.execute((status) -> {
			int held = this.lanes.countOwned(this.instanceId);
			Instant now = this.clock.instant();
			if (held < share) {
				List<Integer> taken = this.lanes.claim(this.instanceId, now, now.plus(this.leaseTime), share - held);
				if (held + taken.size() < share && this.lanes.countClaimable(now) > 0) {
					// expired lanes still locked by the batch of a slow or dying
					// instance: its
					// locks go when the batch ends or its connection dies, look again
					// soon
					this.nextExpiry = earliest(this.nextExpiry, now.plus(this.leaseTime.dividedBy(30)));
				}
			}
			return now;
		});
		List<Integer> result = this.transactionTemplate.execute((status) -> {
			Instant now = this.clock.instant();
			List<Integer> held = new ArrayList<>(this.lanes.renew(this.instanceId, now.plus(this.leaseTime)));
			if (held.size() > share) {
				List<Integer> surplus = new ArrayList<>(held.subList(share, held.size()));
				held.removeAll(surplus);
				// no longer ours before another instance can take them: commits of their
				// events notify the other instances from now on
				this.owned = List.copyOf(held);
				this.lanes.release(this.instanceId, surplus);
			}
			else if (held.size() < share) {
				// lanes of an instance whose heartbeat lapsed may be leased a little
				// longer (its last renewal waited for its batch): take them when they
				// expire. Leases valid when the claim above looked count, even if they
				// expired since: the next renewal then comes at once, not a renewal
				// period later
				this.nextExpiry = earliest(this.nextExpiry,
						this.lanes.nextLeaseExpiry(this.instanceId, (claimedAt != null) ? claimedAt : now));
			}
			return List.copyOf(held);
		});
		this.owned = (result != null) ? result : List.of();
		return this.owned;
	}

	private static @Nullable Instant earliest(@Nullable Instant first, @Nullable Instant second) {
		if (first == null || second == null) {
			return (first != null) ? first : second;
		}
		return first.isBefore(second) ? first : second;
	}

	/**
	 * Return when, at the last renewal, the first other instance was due to count as dead
	 * or the first lease this instance is waiting for was due to expire, unless renewed
	 * meanwhile: the earliest time a renewal may take lanes over.
	 * @return the time, or {@code null} if no other instance was live
	 */
	@Nullable Instant nextExpiry() {
		return this.nextExpiry;
	}

	/**
	 * Lock the lanes this instance holds a valid lease on, for the current transaction.
	 * @param now the current time
	 * @return the locked lanes
	 */
	List<Integer> lock(Instant now) {
		return this.lanes.lockOwned(this.instanceId, now);
	}

	/**
	 * Lock the lanes of one group this instance holds a valid lease on, for the current
	 * transaction, after the given statements, sent with the lock in one round trip.
	 * @param now the current time
	 * @param groups the number of lane groups
	 * @param group the group, the remainder of its lanes divided by {@code groups}
	 * @param preamble statements that prepare the transaction, or an empty string
	 * @return the locked lanes
	 */
	List<Integer> lock(Instant now, int groups, int group, String preamble) {
		return (groups == 1) ? this.lanes.lockOwned(this.instanceId, now, preamble)
				: this.lanes.lockOwned(this.instanceId, now, groups, group, preamble);
	}

	/**
	 * Give back every lane at once, so that the other instances take them at their next
	 * renewal instead of waiting for the leases to expire.
	 */
	void leave() {
		this.transactionTemplate.executeWithoutResult((status) -> this.lanes.leave(this.instanceId));
		this.owned = List.of();
	}

}
