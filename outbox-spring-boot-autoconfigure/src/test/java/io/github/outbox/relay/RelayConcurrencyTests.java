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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.Lanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for a relay that relays several batches at once
 * ({@code outbox.relay.concurrency}).
 */
class RelayConcurrencyTests {

	private static final int KEYS = 40;

	private static final int EVENTS = 1200;

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenBatchesRunConcurrentlyThenALaneIsNeverInTwoBatchesTheyTakeTurnsSendingAndEachKeyLeavesOnceInOrder(
			TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			for (int from = 0; from < EVENTS; from += 100) {
				int first = from;
				outbox.transactions().executeWithoutResult((status) -> {
					List<OutboxMessage> messages = new ArrayList<>();
					for (int i = first; i < first + 100; i++) {
						messages.add(new OutboxMessage(UUID.randomUUID(), "topic", "key-" + (i % KEYS), "test",
								new byte[] { 1 }, Map.of(), Instant.now()));
					}
					outbox.store().insert(messages);
				});
			}
			LaneTrackingSender sender = new LaneTrackingSender();
			OutboxRelay relay = new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), sender,
					new OutboxRelay.Settings("relay-1", Duration.ofMillis(50), 25, Duration.ofSeconds(10),
							Duration.ofSeconds(5), Duration.ofSeconds(30), 10, OutboxRelayTests.BACKOFF, 4),
					Clock.systemUTC());
			relay.start();
			try {
				await().atMost(Duration.ofSeconds(60)).until(() -> outbox.rows().isEmpty());
			}
			finally {
				relay.stop();
			}
			assertThat(sender.violations).isEmpty();
			assertThat(sender.sendingOverlaps).as("batches sending while another awaited acknowledgements").hasValue(0);
			// the test proves something only if batches of different lanes did overlap
			assertThat(sender.maxBatchesInFlight.get()).isGreaterThan(1);
			assertThat(sender.sent).hasSize(EVENTS).doesNotHaveDuplicates();
			Map<String, Long> lastSequence = new ConcurrentHashMap<>();
			for (OutboxRecord record : sender.sent) {
				long previous = lastSequence.getOrDefault(record.key(), 0L);
				assertThat(record.sequence()).as("sequence of %s", record.key()).isEqualTo(previous + 1);
				lastSequence.put(record.key(), record.sequence());
			}
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenNoBacklogDrainsThenALaneGroupSendsItsBatchWithoutWaitingForAnotherGroupsAcknowledgements(
			TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			String held = keyOfLaneGroup(outbox, 0);
			String free = keyOfLaneGroup(outbox, 1);
			CompletableFuture<Void> release = new CompletableFuture<>();
			List<String> sent = new CopyOnWriteArrayList<>();
			List<String> acknowledged = new CopyOnWriteArrayList<>();
			OutboxSender sender = (record) -> {
				sent.add(record.key());
				CompletableFuture<Void> ack = held.equals(record.key()) ? release.thenRun(() -> {
				}) : CompletableFuture.completedFuture(null);
				return ack.thenRun(() -> acknowledged.add(record.key()));
			};
			OutboxRelay relay = new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), sender,
					new OutboxRelay.Settings("relay-1", Duration.ofMillis(50), 25, Duration.ofSeconds(10),
							Duration.ofSeconds(5), Duration.ofSeconds(30), 10, OutboxRelayTests.BACKOFF, 2),
					Clock.systemUTC());
			relay.start();
			try {
				insert(outbox, held);
				// the held event's batch awaits its acknowledgement from now on
				await().atMost(Duration.ofSeconds(10)).until(() -> sent.contains(held));
				insert(outbox, free);
				await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.contains(free));
				assertThat(acknowledged).as("acknowledged while the other group's batch still awaits")
					.containsExactly(free);
				release.complete(null);
				await().atMost(Duration.ofSeconds(10)).until(() -> outbox.rows().isEmpty());
			}
			finally {
				release.complete(null);
				relay.stop();
			}
		}
	}

	private static String keyOfLaneGroup(TestOutbox outbox, int group) {
		for (int i = 0;; i++) {
			String key = "key-" + i;
			if (Lanes.laneOf(key, UUID.randomUUID(), outbox.store().getLanes()) % 2 == group) {
				return key;
			}
		}
	}

	private static void insert(TestOutbox outbox, String key) {
		outbox.transactions()
			.executeWithoutResult((status) -> outbox.store()
				.insert(List.of(new OutboxMessage(UUID.randomUUID(), "topic", key, "test", new byte[] { 1 }, Map.of(),
						Instant.now()))));
	}

	/**
	 * Acknowledges each event a little later, on another thread, and records a violation
	 * when an event is sent while a batch other than its own still holds a lane it is of:
	 * a batch holds its lanes from its first send until its transaction has completed.
	 * Also counts the events sent while another batch still awaited acknowledgements: the
	 * lane groups of one relay take turns at the sender.
	 */
	static class LaneTrackingSender implements OutboxSender {

		final List<OutboxRecord> sent = new CopyOnWriteArrayList<>();

		final List<String> violations = new CopyOnWriteArrayList<>();

		final AtomicInteger maxBatchesInFlight = new AtomicInteger();

		private final Map<Integer, Object> lanesInFlight = new ConcurrentHashMap<>();

		private final Map<Object, Boolean> batchesInFlight = new ConcurrentHashMap<>();

		private final ThreadLocal<Object> currentBatch = new ThreadLocal<>();

		final AtomicInteger sendingOverlaps = new AtomicInteger();

		private final Map<Object, AtomicInteger> unacknowledged = new ConcurrentHashMap<>();

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			Object batch = this.currentBatch.get();
			if (batch == null) {
				Object started = new Object();
				this.currentBatch.set(started);
				this.batchesInFlight.put(started, true);
				this.maxBatchesInFlight.accumulateAndGet(this.batchesInFlight.size(), Math::max);
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCompletion(int status) {
						LaneTrackingSender.this.lanesInFlight.values().removeIf((each) -> each == started);
						LaneTrackingSender.this.batchesInFlight.remove(started);
						LaneTrackingSender.this.currentBatch.remove();
					}

				});
				batch = started;
			}
			Object holder = this.lanesInFlight.putIfAbsent(record.lane(), batch);
			if (holder != null && holder != batch) {
				this.violations.add("lane " + record.lane() + " in two batches at once, sending " + record.key() + "#"
						+ record.sequence());
			}
			this.sent.add(record);
			Object sending = batch;
			if (this.unacknowledged.entrySet()
				.stream()
				.anyMatch((each) -> each.getKey() != sending && each.getValue().get() > 0)) {
				this.sendingOverlaps.incrementAndGet();
			}
			AtomicInteger awaited = this.unacknowledged.computeIfAbsent(batch, (key) -> new AtomicInteger());
			awaited.incrementAndGet();
			return CompletableFuture.runAsync(awaited::decrementAndGet, CompletableFuture
				.delayedExecutor(ThreadLocalRandom.current().nextInt(1, 4), TimeUnit.MILLISECONDS));
		}

	}

}
