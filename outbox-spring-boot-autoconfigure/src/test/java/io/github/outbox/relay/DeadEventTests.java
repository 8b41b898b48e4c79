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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.store.JdbcDeadOutboxEvents;
import io.github.outbox.store.OutboxRecord;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for dead events: events the relay gives up on, and what they mean for their key.
 */
class DeadEventTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenAttemptsAreUsedUpThenEventIsDeadAndLaterEventsOfItsKeyFlow(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k", "j");
			PoisonSender sender = new PoisonSender(Set.of("k#1"), true);
			OutboxRelay relay = relay(outbox, sender, false, 2);
			relay.relayBatch();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				relay.relayBatch();
				return outbox.rows().size() == 1;
			});
			Map<String, Object> dead = outbox.rows().get(0);
			assertThat(dead).containsEntry("event_key", "k").containsEntry("attempts", 2);
			assertThat(dead.get("dead_at")).isNotNull();
			// k#2 was acknowledged behind the failing k#1 and kept; it went again once k#1 was dead
			assertThat(sender.acknowledged()).containsExactly("k#2", "j#1", "k#2");
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store().getTables(),
					() -> {
					});
			assertThat(deadEvents.count()).isOne();
			DeadOutboxEvent event = deadEvents.list(0, 10).get(0);
			assertThat(event.key()).isEqualTo("k");
			assertThat(event.sequence()).isOne();
			assertThat(event.attempts()).isEqualTo(2);
			assertThat(event.lastError()).contains("poison k#1");
			// a dead event is not sent again by itself
			assertThat(relay.relayBatch()).isZero();
			sender.cure();
			assertThat(deadEvents.retry(event.id())).isTrue();
			assertThat(relay.relayBatch()).isOne();
			assertThat(sender.acknowledged()).containsExactly("k#2", "j#1", "k#2", "k#1");
			assertThat(outbox.rows()).isEmpty();
			assertThat(deadEvents.retry(event.id())).isFalse();
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenErrorIsNotRetryableThenEventIsDeadAtOnce(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "j");
			PoisonSender sender = new PoisonSender(Set.of("k#1"), false);
			OutboxRelay relay = relay(outbox, sender, false, 10);
			assertThat(relay.relayBatch()).isEqualTo(2);
			assertThat(outbox.rows()).singleElement().satisfies((row) -> {
				assertThat(row).containsEntry("event_key", "k").containsEntry("attempts", 1);
				assertThat(row.get("dead_at")).isNotNull();
			});
			assertThat(sender.acknowledged()).containsExactly("j#1");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenDeadEventsBlockTheirKeyThenLaterEventsWaitUntilItIsDiscarded(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k", "j");
			PoisonSender sender = new PoisonSender(Set.of("k#1"), false);
			OutboxRelay relay = relay(outbox, sender, true, 10);
			relay.relayBatch();
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("k", "k");
			// the acknowledged k#2 was kept: it is sent again once k#1 is out of the way
			assertThat(relay.relayBatch()).isZero();
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store().getTables(),
					() -> {
					});
			assertThat(deadEvents.discard(deadEvents.list(0, 1).get(0).id())).isTrue();
			assertThat(relay.relayBatch()).isOne();
			assertThat(outbox.rows()).isEmpty();
			assertThat(sender.acknowledged()).containsExactly("k#2", "j#1", "k#2");
		}
	}

	private static OutboxRelay relay(TestOutbox outbox, OutboxSender sender, boolean block, int maxAttempts) {
		OutboxRelay relay = new OutboxRelay(outbox.store(block), outbox.lanes(), outbox.dataSource(), sender,
				OutboxRelayTests.settings("relay-1", maxAttempts), Clock.systemUTC());
		relay.takeLanes();
		return relay;
	}

	/**
	 * Fails the given events until cured, with a retryable error or not.
	 */
	static class PoisonSender implements OutboxSender {

		private final Set<String> poisoned;

		private final boolean retryable;

		private final List<String> acknowledged = new CopyOnWriteArrayList<>();

		private final AtomicInteger cured = new AtomicInteger();

		PoisonSender(Set<String> poisoned, boolean retryable) {
			this.poisoned = poisoned;
			this.retryable = retryable;
		}

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			String name = record.key() + "#" + record.sequence();
			if (this.cured.get() == 0 && this.poisoned.contains(name)) {
				return CompletableFuture.failedFuture(new IllegalStateException("poison " + name));
			}
			this.acknowledged.add(name);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public boolean isRetryable(OutboxRecord record, Throwable error) {
			return this.retryable;
		}

		void cure() {
			this.cured.incrementAndGet();
		}

		List<String> acknowledged() {
			return this.acknowledged;
		}

	}

}
