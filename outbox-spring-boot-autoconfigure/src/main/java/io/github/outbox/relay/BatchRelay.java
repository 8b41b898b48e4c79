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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.github.outbox.relay.BatchSettlement.Settlement;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.store.OutboxStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * One batch of a group of lanes, in one database transaction: lock the lanes of the group
 * this instance holds a valid lease on, read their oldest events, send them
 * ({@link BatchSender}), await the results, settle them ({@link BatchSettlement}) and
 * write the settlement. Holding the lane locks until the settlement commits keeps every
 * other batch off these lanes meanwhile, in this instance and in any other. The listener
 * hears of the outcome after the commit.
 *
 * @author Outbox contributors
 */
final class BatchRelay {

	// the relay's own log category: its debug timings are looked for there
	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final OutboxStore store;

	private final LaneLeases leases;

	private final BatchSender sender;

	private final BatchSettlement settlement;

	private final RelayPause pause;

	private final TransactionTemplate transactionTemplate;

	private final int batchSize;

	private final Clock clock;

	private final OutboxRelayListener listener;

	private final Semaphore sendingTurn = new Semaphore(1, true);

	/**
	 * The lane groups whose previous batch was full: a backlog drains.
	 */
	private final Set<LaneGroup> backlogged = ConcurrentHashMap.newKeySet();

	/**
	 * The lane groups whose previous batch found lanes this instance holds locked by
	 * another transaction of this instance: the extension of its leases.
	 */
	private final Set<LaneGroup> foundLocked = ConcurrentHashMap.newKeySet();

	BatchRelay(OutboxStore store, LaneLeases leases, BatchSender sender, BatchSettlement settlement, RelayPause pause,
			TransactionTemplate transactionTemplate, int batchSize, Clock clock, OutboxRelayListener listener) {
		this.store = store;
		this.leases = leases;
		this.sender = sender;
		this.settlement = settlement;
		this.pause = pause;
		this.transactionTemplate = transactionTemplate;
		this.batchSize = batchSize;
		this.clock = clock;
		this.listener = listener;
	}

	/**
	 * Relay one batch of the given lanes.
	 * @param group the lanes
	 * @return the number of events read, sent or not
	 */
	int relay(LaneGroup group) {
		Instant start = this.clock.instant();
		Settlement settlement = this.transactionTemplate.execute((status) -> {
			Instant now = this.clock.instant();
			boolean backlog = this.backlogged.contains(group);
			// the statements preparing the transaction go with the lane lock, its first
			List<Integer> lanes = this.leases.lock(now, group.count(), group.index(),
					this.store.relayBatchPreamble(backlog));
			if (lanes.size() < ownedLanes(group)) {
				this.foundLocked.add(group);
			}
			else {
				this.foundLocked.remove(group);
			}
			if (lanes.isEmpty()) {
				return Settlement.NONE;
			}
			List<OutboxRecord> records = this.store.fetch((lanes.size() == this.store.getLanes()) ? null : lanes, now,
					this.batchSize);
			if (records.isEmpty()) {
				return Settlement.NONE;
			}
			Instant fetched = this.clock.instant();
			boolean draining = backlog || records.size() >= this.batchSize;
			if (draining && !takeSendingTurn()) {
				// stopping: nothing was sent, the events stay for the next batch
				return Settlement.NONE;
			}
			Instant sending = this.clock.instant();
			BatchSender.Sent sent;
			try {
				sent = this.sender.send(records);
			}
			finally {
				if (draining) {
					this.sendingTurn.release();
				}
			}
			Instant acknowledged = this.clock.instant();
			Settlement settled = this.settlement.settle(records, sent.results(), sent.knownRetryable(), acknowledged,
					this.pause.nextUnavailablePause());
			apply(settled, acknowledged);
			if (logger.isDebugEnabled()) {
				logger.debug("Relayed a batch of " + records.size() + " events from " + lanes.size() + " lanes in "
						+ Duration.between(now, this.clock.instant()).toMillis() + " ms (read "
						+ Duration.between(now, fetched).toMillis() + " ms, turn "
						+ Duration.between(fetched, sending).toMillis() + " ms, send "
						+ Duration.between(sending, acknowledged).toMillis() + " ms, settle "
						+ Duration.between(acknowledged, this.clock.instant()).toMillis() + " ms)");
			}
			return settled;
		});
		int read = (settlement != null) ? settlement.read() : 0;
		if (read >= this.batchSize) {
			this.backlogged.add(group);
		}
		else {
			this.backlogged.remove(group);
		}
		if (settlement == null || read == 0) {
			return 0;
		}
		notifyListener(settlement, start);
		return settlement.read();
	}

	/**
	 * Return whether the last batch of the given lanes skipped some this instance holds,
	 * because another transaction had them locked: the extension of this instance's
	 * leases, which waits for the batches of the other groups while it holds the lanes it
	 * extended. Their events are relayed when a run looks again.
	 * @param group the lanes
	 * @return whether lanes were skipped
	 */
	boolean foundLanesLocked(LaneGroup group) {
		return this.foundLocked.contains(group);
	}

	private long ownedLanes(LaneGroup group) {
		return this.leases.owned().stream().filter(group::contains).count();
	}

	/**
	 * Wait until no other lane group of this relay is sending: the groups then take turns
	 * at the broker, one sending while the others read or settle, instead of all reading
	 * together and then all sending together, which leaves the broker idle while they
	 * read and the database idle while they send. Taken only while a backlog drains: a
	 * batch of a few events, as a steady load brings them, goes at once.
	 * @return {@code false} if interrupted while waiting
	 */
	private boolean takeSendingTurn() {
		try {
			this.sendingTurn.acquire();
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Write a batch's settlement in its transaction, and pause while the destination is
	 * unavailable.
	 */
	private void apply(Settlement settlement, Instant now) {
		this.store.published(settlement.delivered().stream().map(OutboxRecord::id).toList(), now);
		if (!settlement.failures().isEmpty()) {
			logger.warn(settlement.failures().size() + " outbox events failed and will be retried, first error: "
					+ settlement.failures().get(0).error());
			this.store.markFailed(settlement.failures());
		}
		if (!settlement.deaths().isEmpty()) {
			logger.error(settlement.deaths().size()
					+ " outbox events are dead and will not be retried automatically, first error: "
					+ settlement.deaths().get(0).error());
			this.store.markDead(settlement.deaths(), now);
		}
		this.store.moveBehindTheirKeys(settlement.overtaken());
		if (!settlement.delivered().isEmpty()) {
			this.pause.delivered();
		}
		else if (settlement.destinationUnavailable()) {
			logger.warn("Outbox destination unavailable, relay paused until " + this.pause.destinationUnavailable(now));
		}
	}

	private void notifyListener(Settlement settlement, Instant start) {
		try {
			Instant acknowledgedAt = settlement.settledAt();
			settlement.delivered().forEach((record) -> this.listener.delivered(record, acknowledgedAt));
			settlement.failedSends()
				.forEach((failure) -> this.listener.failed(failure.record(), failure.error(), failure.dead()));
			this.listener.batchCompleted(settlement.read(), Duration.between(start, this.clock.instant()));
		}
		catch (RuntimeException ex) {
			logger.warn("Outbox relay listener failed: " + ex.getMessage(), ex);
		}
	}

}
