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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.JdbcDeadOutboxEvents;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka.Received;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestOutbox;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;

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
			// k#2 was not sent behind the failing k#1; it went once k#1 was dead
			assertThat(sender.acknowledged()).containsExactly("j#1", "k#2");
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store(), () -> {
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
			// k#2 went before: k#1 is sent with the key's next sequence, so that a
			// consumer does not skip it
			assertThat(sender.acknowledged()).containsExactly("j#1", "k#2", "k#3");
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
			// k#2 was not sent behind the failed k#1, and waits until k#1 is out of the
			// way
			assertThat(sender.acknowledged()).containsExactly("j#1");
			assertThat(relay.relayBatch()).isZero();
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store(), () -> {
			});
			assertThat(deadEvents.discard(deadEvents.list(0, 1).get(0).id())).isTrue();
			assertThat(relay.relayBatch()).isOne();
			assertThat(outbox.rows()).isEmpty();
			assertThat(sender.acknowledged()).containsExactly("j#1", "k#2");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenDeadEventsBlockTheirKeyThenARetriedEventKeepsItsPlaceAndSequence(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k");
			PoisonSender sender = new PoisonSender(Set.of("k#1"), false);
			OutboxRelay relay = relay(outbox, sender, true, 10);
			relay.relayBatch();
			assertThat(relay.relayBatch()).isZero();
			sender.cure();
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store(true), () -> {
			});
			assertThat(deadEvents.retryAll()).isOne();
			assertThat(relay.relayBatch()).isEqualTo(2);
			assertThat(sender.acknowledged()).containsExactly("k#1", "k#2");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenAnEventDiesAfterALaterEventOfItsKeyWasAcknowledgedThenItsRetryTakesTheKeysNextSequence(
			TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k", "k");
			List<String> acknowledged = new CopyOnWriteArrayList<>();
			AtomicInteger failures = new AtomicInteger();
			// k#1 fails for good after k#2 was acknowledged; k#3 is not acknowledged
			// either
			OutboxSender sender = (record) -> {
				String name = record.key() + "#" + record.sequence();
				if (name.equals("k#1") && failures.getAndIncrement() == 0) {
					return CompletableFuture.runAsync(() -> {
						throw new IllegalArgumentException("too large");
					}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
				}
				if (name.equals("k#3") && failures.getAndIncrement() == 1) {
					return CompletableFuture.failedFuture(new IllegalStateException("later"));
				}
				acknowledged.add(name);
				return CompletableFuture.completedFuture(null);
			};
			OutboxSender deadOnFailure = new OutboxSender() {

				@Override
				public CompletableFuture<?> send(OutboxRecord record) {
					return sender.send(record);
				}

				@Override
				public boolean isRetryable(OutboxRecord record, Throwable error) {
					return !(error instanceof IllegalArgumentException);
				}

			};
			OutboxRelay relay = relay(outbox, deadOnFailure, true, 10);
			relay.relayBatch();
			// k#2 was delivered; k#3 waits behind the dead k#1
			assertThat(acknowledged).containsExactly("k#2");
			assertThat(relay.relayBatch()).isZero();
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store(true), () -> {
			});
			assertThat(deadEvents.retryAll()).isOne();
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				relay.relayBatch();
				return outbox.rows().isEmpty();
			});
			assertThat(acknowledged).containsExactly("k#2", "k#3", "k#4");
		}
	}

	@ParameterizedTest
	@CsvSource({ "POSTGRESQL, true", "POSTGRESQL, false", "MARIADB, true", "MARIADB, false", "H2, true", "H2, false" })
	void whenSendFailsAtOnceThenLaterEventsOfItsKeyAreNotSentInThatBatch(TestDatabase.Kind kind, boolean block)
			throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k", "j", "k");
			PoisonSender sender = new PoisonSender(Set.of("k#1"), false);
			sender.throwing = true;
			OutboxRelay relay = relay(outbox, sender, block, 10);
			assertThat(relay.relayBatch()).isEqualTo(4);
			assertThat(sender.acknowledged()).containsExactly("j#1");
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("k", "k", "k");
			assertThat(outbox.rows().get(0).get("dead_at")).isNotNull();
			relay.relayBatch();
			// skip: the later events flow in the next batch; block: they wait for k#1
			assertThat(sender.acknowledged())
				.containsExactlyElementsOf(block ? List.of("j#1") : List.of("j#1", "k#2", "k#3"));
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenRecordIsTooLargeForTheProducerThenLaterEventsOfItsKeyWaitUnderBlock(TestDatabase.Kind kind)
			throws Exception {
		String topic = TestKafka.uniqueTopic("dead-block");
		TestKafka.createTopics(topic);
		DefaultKafkaProducerFactory<String, byte[]> producerFactory = new DefaultKafkaProducerFactory<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
						ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2000, ProducerConfig.LINGER_MS_CONFIG, 0),
				new StringSerializer(), new ByteArraySerializer());
		KafkaOutboxSender sender = new KafkaOutboxSender(producerFactory, "test");
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.transactions()
				.executeWithoutResult((status) -> outbox.store()
					.insert(List.of(message(topic, "k", "x".repeat(5000)), message(topic, "k", "second"),
							message(topic, "j", "other"))));
			OutboxRelay relay = relay(outbox, sender, true, 10);
			assertThat(relay.relayBatch()).isEqualTo(3);
			assertThat(relay.relayBatch()).isZero();
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("k", "k");
			assertThat((String) outbox.rows().get(0).get("last_error")).contains("RecordTooLargeException");
			List<Received> received = TestKafka.consume(topic, (record) -> true, 1, Duration.ofSeconds(10),
					Duration.ofSeconds(1));
			assertThat(received).extracting(Received::value).containsExactly("other");
		}
		finally {
			sender.destroy();
		}
	}

	private static OutboxMessage message(String topic, String key, String payload) {
		return new OutboxMessage(UUID.randomUUID(), topic, key, "test", payload.getBytes(StandardCharsets.UTF_8),
				Map.of(), Instant.now());
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

		/**
		 * Whether a poisoned event makes {@link #send} throw, as Kafka's template does
		 * for a record over {@code max.request.size}, instead of returning a failed
		 * result.
		 */
		boolean throwing;

		PoisonSender(Set<String> poisoned, boolean retryable) {
			this.poisoned = poisoned;
			this.retryable = retryable;
		}

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			String name = record.key() + "#" + record.sequence();
			if (this.cured.get() == 0 && this.poisoned.contains(name)) {
				if (this.throwing) {
					throw new IllegalStateException("poison " + name);
				}
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
