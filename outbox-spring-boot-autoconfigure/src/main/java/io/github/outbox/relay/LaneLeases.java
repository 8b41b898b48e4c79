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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.github.outbox.store.OutboxLanes;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps this instance's share of the lanes, in two steps that may run on two threads. A
 * claim records a heartbeat and counts the live instances, then takes free or expired
 * lanes while this instance holds fewer than its fair share
 * ({@code ceil(lanes / live instances)}), each in a short transaction of its own that
 * waits for no lock. An extension extends the leases this instance holds and gives back
 * lanes above its share; it waits until this instance's batches release their lanes,
 * which under load can take longer than a batch, so a claim never waits for it. When the
 * lanes of an instance that stopped are still leased, the next claim is due when those
 * leases expire, so they are taken over within the lease time; when expired lanes are
 * still locked by a batch of their former owner, it is due after a thirtieth of the lease
 * time. No coordinator is involved: every instance runs the same rule against the lane
 * table, and the shares converge within two renewals after an instance joins or leaves.
 *
 * @author Outbox contributors
 */
final class LaneLeases {

	private final OutboxLanes lanes;

	private final TransactionTemplate transactionTemplate;

	private final String instanceId;

	private final Duration leaseTime;

	private final Clock clock;

	private final Object ownedMonitor = new Object();

	private volatile List<Integer> owned = List.of();

	/**
	 * Lanes taken while an extension runs, or {@code null} when none runs.
	 */
	private @Nullable Set<Integer> takenDuringExtension;

	/**
	 * This instance's fair share of the lanes at the last {@link #claim()}: none is given
	 * back before the first.
	 */
	private volatile int share = Integer.MAX_VALUE;

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
	 * Renew, give back or take leases as described above: {@link #claim()} then
	 * {@link #extend()}.
	 * @return the lanes this instance holds now
	 */
	List<Integer> renew() {
		claim();
		return extend();
	}

	/**
	 * Record a heartbeat, count the live instances and take free or expired lanes while
	 * this instance holds fewer than its share. Waits for no lock: lanes another
	 * instance's batch holds locked are skipped, and the next look is due soon.
	 * @return the lanes taken
	 */
	List<Integer> claim() {
		// a transaction of its own, committed at once: it must not hold the heartbeat
		// row while the claim below or an extension runs
		Integer liveInstances = this.transactionTemplate.execute((status) -> {
			Instant now = this.clock.instant();
			int count = this.lanes.heartbeat(this.instanceId, now, this.leaseTime);
			this.nextExpiry = this.lanes.nextExpiry(this.instanceId, now, this.leaseTime);
			return count;
		});
		int live = (liveInstances != null) ? liveInstances : 1;
		int share = (this.lanes.getLanes() + live - 1) / live;
		this.share = share;
		List<Integer> taken = this.transactionTemplate.execute((status) -> {
			int held = this.lanes.countOwned(this.instanceId);
			if (held >= share) {
				return List.<Integer>of();
			}
			Instant now = this.clock.instant();
			List<Integer> claimed = this.lanes.claim(this.instanceId, now, now.plus(this.leaseTime), share - held);
			if (held + claimed.size() < share) {
				if (this.lanes.countClaimable(now) > 0) {
					// expired lanes still locked by the batch of a slow or dying
					// instance: its locks go when the batch ends or its connection
					// dies, look again soon
					this.nextExpiry = earliest(this.nextExpiry, now.plus(this.leaseTime.dividedBy(30)));
				}
				// lanes of an instance whose heartbeat lapsed may be leased a little
				// longer (its last renewal waited for its batch): take them when they
				// expire
				this.nextExpiry = earliest(this.nextExpiry, this.lanes.nextLeaseExpiry(this.instanceId, now));
			}
			return claimed;
		});
		if (taken == null || taken.isEmpty()) {
			return List.of();
		}
		synchronized (this.ownedMonitor) {
			this.owned = merge(this.owned, taken);
			if (this.takenDuringExtension != null) {
				this.takenDuringExtension.addAll(taken);
			}
		}
		return taken;
	}

	/**
	 * Extend the leases this instance holds and give back the lanes above its share.
	 * Waits until this instance's batches release their lanes, while {@link #claim()} may
	 * run on another thread.
	 * @return the lanes this instance holds now
	 */
	List<Integer> extend() {
		Set<Integer> takenMeanwhile = new HashSet<>();
		synchronized (this.ownedMonitor) {
			this.takenDuringExtension = takenMeanwhile;
		}
		try {
			int share = this.share;
			List<Integer> result = this.transactionTemplate.execute((status) -> {
				Instant now = this.clock.instant();
				List<Integer> held = new ArrayList<>(this.lanes.renew(this.instanceId, now.plus(this.leaseTime)));
				if (held.size() > share) {
					List<Integer> surplus = new ArrayList<>(held.subList(share, held.size()));
					held.removeAll(surplus);
					// no longer ours before another instance can take them: commits of
					// their events notify the other instances from now on
					synchronized (this.ownedMonitor) {
						takenMeanwhile.removeAll(surplus);
						this.owned = merge(held, takenMeanwhile);
					}
					this.lanes.release(this.instanceId, surplus);
				}
				return List.copyOf(held);
			});
			synchronized (this.ownedMonitor) {
				// lanes taken while this extension ran may have been claimed after it
				// read the lanes held
				this.owned = merge((result != null) ? result : List.of(), takenMeanwhile);
				return this.owned;
			}
		}
		finally {
			synchronized (this.ownedMonitor) {
				this.takenDuringExtension = null;
			}
		}
	}

	private static List<Integer> merge(Collection<Integer> first, Collection<Integer> second) {
		TreeSet<Integer> merged = new TreeSet<>(first);
		merged.addAll(second);
		return List.copyOf(merged);
	}

	private static @Nullable Instant earliest(@Nullable Instant first, @Nullable Instant second) {
		if (first == null || second == null) {
			return (first != null) ? first : second;
		}
		return first.isBefore(second) ? first : second;
	}

	/**
	 * Return when, at the last claim, the first other instance was due to count as dead
	 * or the first lease this instance is waiting for was due to expire, unless renewed
	 * meanwhile: the earliest time a claim may take lanes over.
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
