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
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.github.outbox.relay.BatchSettlement.Settlement;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.OutboxStore.Failure;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BatchSettlement}: outcomes of a batch's sends, no database.
 */
class BatchSettlementTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 0);

	private static final OutboxSender UNAVAILABLE_ON_TIMEOUT = new OutboxSender() {

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean isRetryable(OutboxRecord record, Throwable error) {
			return !(error instanceof IllegalArgumentException);
		}

		@Override
		public boolean isUnavailable(Throwable error) {
			return error instanceof UnavailableException;
		}

	};

	private final BatchSettlement skipping = new BatchSettlement(UNAVAILABLE_ON_TIMEOUT, 3, BACKOFF, false);

	private final BatchSettlement blocking = new BatchSettlement(UNAVAILABLE_ON_TIMEOUT, 3, BACKOFF, true);

	@Test
	void acknowledgedEventsAreDelivered() {
		Batch batch = new Batch().ok("a", 1).ok("b", 1).ok("a", 2);
		Settlement settlement = batch.settle(this.skipping);
		assertThat(settlement.delivered()).extracting(OutboxRecord::id).containsExactly(1L, 2L, 3L);
		assertThat(settlement.failures()).isEmpty();
		assertThat(settlement.deaths()).isEmpty();
		assertThat(settlement.overtaken()).isEmpty();
		assertThat(settlement.destinationUnavailable()).isFalse();
		assertThat(settlement.read()).isEqualTo(3);
	}

	@Test
	void failedEventIsRetriedWithBackoffAndCountsAnAttempt() {
		Settlement settlement = new Batch().failed("a", 1, new IllegalStateException("no"))
			.ok("b", 1)
			.settle(this.skipping);
		assertThat(settlement.delivered()).extracting(OutboxRecord::id).containsExactly(2L);
		assertThat(settlement.failures()).singleElement().satisfies((failure) -> {
			assertThat(failure.id()).isEqualTo(1L);
			assertThat(failure.counted()).isTrue();
			assertThat(failure.nextAttemptAt()).isEqualTo(NOW.plusSeconds(1));
			assertThat(failure.error()).contains("IllegalStateException: no");
		});
		assertThat(settlement.failedSends()).singleElement().satisfies((send) -> assertThat(send.dead()).isFalse());
	}

	@Test
	void eventOnItsLastAttemptOrWithANonRetryableErrorIsDead() {
		Batch batch = new Batch().failed("a", 1, new IllegalStateException("no"));
		batch.attempts.set(0, 2);
		batch.failed("b", 1, new IllegalArgumentException("never"));
		Settlement settlement = batch.settle(this.skipping);
		assertThat(settlement.failures()).isEmpty();
		assertThat(settlement.deaths()).extracting(Failure::id).containsExactly(1L, 2L);
		assertThat(settlement.failedSends()).allSatisfy((send) -> assertThat(send.dead()).isTrue());
	}

	@Test
	void laterFailedEventsOfAFailedKeyWaitWithoutAnAttempt() {
		Settlement settlement = new Batch().failed("a", 1, new IllegalStateException("no"))
			.failed("a", 2, new IllegalStateException("no"))
			.settle(this.skipping);
		assertThat(settlement.failures()).extracting(Failure::id).containsExactly(1L);
		assertThat(settlement.failedSends()).hasSize(1);
	}

	@Test
	void failedEventOvertakenByALaterAcknowledgedEventOfItsKeyMovesBehindIt() {
		Settlement settlement = new Batch().failed("a", 1, new IllegalStateException("late"))
			.ok("a", 2)
			.ok("b", 1)
			.settle(this.skipping);
		assertThat(settlement.delivered()).extracting(OutboxRecord::id).containsExactly(2L, 3L);
		assertThat(settlement.failures()).extracting(Failure::id).containsExactly(1L);
		assertThat(settlement.overtaken()).containsExactly(1L);
	}

	@Test
	void waitingEventOvertakenByALaterAcknowledgedEventMovesBehindItToo() {
		Settlement settlement = new Batch().failed("a", 1, new IllegalStateException("no"))
			.failed("a", 2, new IllegalStateException("no"))
			.ok("a", 3)
			.settle(this.skipping);
		assertThat(settlement.failures()).extracting(Failure::id).containsExactly(1L);
		assertThat(settlement.overtaken()).containsExactly(1L, 2L);
	}

	@Test
	void deadEventIsNotMovedAndBlocksItsKeyOnlyWhenDeadEventsBlock() {
		Batch batch = new Batch().failed("a", 1, new IllegalArgumentException("never"))
			.failed("a", 2, new IllegalStateException("no"))
			.ok("a", 3);
		Settlement skipped = batch.settle(this.skipping);
		assertThat(skipped.deaths()).extracting(Failure::id).containsExactly(1L);
		assertThat(skipped.failures()).extracting(Failure::id).containsExactly(2L);
		assertThat(skipped.overtaken()).containsExactly(2L);
		Settlement blocked = batch.settle(this.blocking);
		assertThat(blocked.deaths()).extracting(Failure::id).containsExactly(1L);
		assertThat(blocked.failures()).isEmpty();
		assertThat(blocked.overtaken()).containsExactly(2L);
	}

	@Test
	void eventsNotSentAreLeftAlone() {
		Batch batch = new Batch().failed("a", 1, new IllegalStateException("no")).notSent("a", 2);
		Settlement settlement = batch.settle(this.skipping);
		assertThat(settlement.read()).isEqualTo(2);
		assertThat(settlement.delivered()).isEmpty();
		assertThat(settlement.failures()).extracting(Failure::id).containsExactly(1L);
	}

	@Test
	void whenNothingGotThroughAndTheDestinationWasUnavailableThenTheRelayPausesWithoutCountingAttempts() {
		Settlement settlement = new Batch().failed("a", 1, new UnavailableException())
			.pending("b", 1)
			.settle(this.skipping);
		assertThat(settlement.destinationUnavailable()).isTrue();
		assertThat(settlement.failures()).extracting(Failure::counted).containsExactly(false, false);
		// an event not acknowledged within the send timeout waits as long as the pause
		assertThat(settlement.failures()).extracting(Failure::nextAttemptAt)
			.containsOnly(NOW.plus(Duration.ofSeconds(7)));
		assertThat(settlement.failures().get(1).error()).contains(TimeoutException.class.getName());
	}

	@Test
	void whenSomeEventsGotThroughThenTheRelayDoesNotPause() {
		Settlement settlement = new Batch().failed("a", 1, new UnavailableException()).ok("b", 1).settle(this.skipping);
		assertThat(settlement.destinationUnavailable()).isFalse();
	}

	@Test
	void eventsWithoutAKeyNeverWaitForEachOther() {
		Settlement settlement = new Batch().failed(null, 1, new IllegalStateException("no"))
			.failed(null, 2, new IllegalStateException("no"))
			.ok(null, 3)
			.settle(this.skipping);
		assertThat(settlement.failures()).extracting(Failure::id).containsExactly(1L, 2L);
		assertThat(settlement.overtaken()).isEmpty();
	}

	@Test
	void retryabilityKnownFromASendThatThrewIsNotAskedAgain() {
		Batch batch = new Batch().failed("a", 1, new IllegalStateException("thrown"));
		batch.knownRetryable.put(batch.records.get(0), false);
		assertThat(batch.settle(this.skipping).deaths()).extracting(Failure::id).containsExactly(1L);
	}

	static class UnavailableException extends RuntimeException {

		UnavailableException() {
			super("broker down");
		}

	}

	/**
	 * A batch being built: its events and the result of each send.
	 */
	static class Batch {

		final List<OutboxRecord> records = new ArrayList<>();

		final List<Integer> attempts = new ArrayList<>();

		final List<@Nullable CompletableFuture<?>> results = new ArrayList<>();

		final Map<OutboxRecord, Boolean> knownRetryable = new IdentityHashMap<>();

		Batch ok(@Nullable String key, long sequence) {
			return add(key, sequence, CompletableFuture.completedFuture(null));
		}

		Batch failed(@Nullable String key, long sequence, Throwable error) {
			return add(key, sequence, CompletableFuture.failedFuture(error));
		}

		Batch pending(@Nullable String key, long sequence) {
			return add(key, sequence, new CompletableFuture<>());
		}

		Batch notSent(@Nullable String key, long sequence) {
			return add(key, sequence, null);
		}

		private Batch add(@Nullable String key, long sequence, @Nullable CompletableFuture<?> result) {
			this.records.add(record(this.records.size(), key, sequence, 0));
			this.attempts.add(0);
			this.results.add(result);
			return this;
		}

		Settlement settle(BatchSettlement settlement) {
			for (int i = 0; i < this.records.size(); i++) {
				OutboxRecord record = this.records.get(i);
				if (record.attempts() != this.attempts.get(i)) {
					Boolean known = this.knownRetryable.remove(record);
					OutboxRecord changed = record(i, record.key(), record.sequence(), this.attempts.get(i));
					this.records.set(i, changed);
					if (known != null) {
						this.knownRetryable.put(changed, known);
					}
				}
			}
			return settlement.settle(this.records, this.results, this.knownRetryable, NOW, Duration.ofSeconds(7));
		}

		private static OutboxRecord record(int index, @Nullable String key, @Nullable Long sequence, int attempts) {
			return new OutboxRecord(index + 1, "event-" + (index + 1), 0, "topic", key, (key != null) ? sequence : null,
					"type", new byte[0], Map.of(), NOW.minusSeconds(10), attempts);
		}

	}

}
