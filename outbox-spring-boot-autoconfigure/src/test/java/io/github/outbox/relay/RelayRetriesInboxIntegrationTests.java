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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.outbox.inbox.Inbox;
import io.github.outbox.inbox.InboxEvent;
import io.github.outbox.inbox.InboxListener;
import io.github.outbox.inbox.InboxOutcome;
import io.github.outbox.inbox.InboxStore;
import io.github.outbox.inbox.StaleEventPolicy;
import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.schema.InboxSchemaInitializer;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.JdbcDeadOutboxEvents;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka.Received;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestOutbox;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's retries seen by a consumer that guards on {@code ce_sequence} with the
 * inbox: a real broker, the real {@link Inbox}, and a sender that fails chosen events.
 * Every event must be applied once, none skipped as stale.
 */
class RelayRetriesInboxIntegrationTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenAnEventFailsAfterLaterEventsOfItsKeyWereAcknowledgedThenTheConsumerAppliesEveryEventOnce(
			TestDatabase.Kind kind) throws Exception {
		String topic = TestKafka.uniqueTopic("retry-inbox");
		TestKafka.createTopics(topic);
		try (TestOutbox outbox = TestOutbox.create(kind); FailingSender sender = new FailingSender()) {
			List<OutboxMessage> messages = messages(topic, "k", "k", "k", "j");
			outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(messages));
			// k#1 fails once, after k#2 and k#3 were acknowledged
			sender.failOnceLater.add(messages.get(0).eventId().toString());
			OutboxRelay relay = relay(outbox, outbox.store(), sender);
			assertThat(relay.relayBatch()).isEqualTo(4);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				relay.relayBatch();
				return outbox.rows().isEmpty();
			});
			Map<String, InboxOutcome> outcomes = consumeThroughInbox(outbox, topic, 4);
			assertThat(outcomes).containsOnlyKeys(ids(messages))
				.allSatisfy((id, outcome) -> assertThat(outcome).isEqualTo(InboxOutcome.PROCESSED));
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenADeadEventIsRetriedAfterLaterEventsOfItsKeyFlowedThenTheConsumerAppliesIt(TestDatabase.Kind kind)
			throws Exception {
		String topic = TestKafka.uniqueTopic("dead-inbox");
		TestKafka.createTopics(topic);
		try (TestOutbox outbox = TestOutbox.create(kind); FailingSender sender = new FailingSender()) {
			List<OutboxMessage> messages = messages(topic, "k", "k", "k");
			outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(messages));
			String poisoned = messages.get(0).eventId().toString();
			sender.tooLarge.add(poisoned);
			OutboxRelay relay = relay(outbox, outbox.store(), sender);
			relay.relayBatch();
			relay.relayBatch();
			JdbcDeadOutboxEvents deadEvents = new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store(), () -> {
			});
			assertThat(deadEvents.list(0, 10)).singleElement()
				.satisfies((event) -> assertThat(event.eventId()).isEqualTo(poisoned));
			assertThat(outbox.rows()).hasSize(1);
			// the consumer applied k#2 and k#3; the operator fixes the cause and retries
			// k#1
			sender.tooLarge.clear();
			assertThat(deadEvents.retryAll()).isOne();
			assertThat(relay.relayBatch()).isOne();
			assertThat(outbox.rows()).isEmpty();
			List<Received> received = TestKafka.consume(topic, (record) -> true, 3, Duration.ofSeconds(10),
					Duration.ofMillis(500));
			assertThat(received).extracting((record) -> record.headers().get("ce_id"))
				.containsExactlyElementsOf(ids(messages.get(1), messages.get(2), messages.get(0)));
			assertThat(received).extracting(Received::sequence).containsExactly(2L, 3L, 4L);
			Map<String, InboxOutcome> outcomes = consumeThroughInbox(outbox, topic, 3);
			assertThat(outcomes).containsOnlyKeys(ids(messages))
				.allSatisfy((id, outcome) -> assertThat(outcome).isEqualTo(InboxOutcome.PROCESSED));
		}
	}

	private static OutboxRelay relay(TestOutbox outbox, OutboxStore store, OutboxSender sender) {
		OutboxRelay relay = new OutboxRelay(store, outbox.lanes(), outbox.dataSource(), sender,
				OutboxRelayTests.settings("relay-1", 10), Clock.systemUTC());
		relay.takeLanes();
		return relay;
	}

	/**
	 * Read the topic and pass each record through the inbox of one consumer, as an
	 * {@code @Idempotent} listener does.
	 * @return the outcome of each event id, the first one for an id delivered twice
	 */
	private static Map<String, InboxOutcome> consumeThroughInbox(TestOutbox outbox, String topic, int count)
			throws Exception {
		new InboxSchemaInitializer(outbox.dataSource(), "outbox_inbox", new DefaultResourceLoader())
			.afterPropertiesSet();
		Inbox inbox = new Inbox(new InboxStore(outbox.dataSource(), "outbox_inbox"),
				new DataSourceTransactionManager(outbox.dataSource()),
				new Inbox.Settings("ce_id", "ce_sequence", StaleEventPolicy.SKIP), new InboxListener() {
				}, Clock.systemUTC());
		List<Received> received = TestKafka.consume(topic, (record) -> true, count, Duration.ofSeconds(10),
				Duration.ofMillis(500));
		Map<String, InboxOutcome> outcomes = new LinkedHashMap<>();
		for (Received record : received) {
			InboxEvent event = new InboxEvent(record.headers().get("ce_id"), topic, record.key(), record.sequence());
			outcomes.putIfAbsent(event.id(), inbox.process("payments", event, () -> {
			}));
		}
		return outcomes;
	}

	private static List<OutboxMessage> messages(String topic, String... keys) {
		List<OutboxMessage> messages = new ArrayList<>();
		for (String key : keys) {
			messages.add(new OutboxMessage(UUID.randomUUID(), topic, key, "test",
					(key + "-" + messages.size()).getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now()));
		}
		return messages;
	}

	private static List<String> ids(OutboxMessage... messages) {
		return ids(List.of(messages));
	}

	private static List<String> ids(List<OutboxMessage> messages) {
		return messages.stream().map((message) -> message.eventId().toString()).toList();
	}

	/**
	 * The real Kafka sender, failing chosen events: once, 200 ms after they were handed
	 * on, while the later events go through; or at once as too large, as Kafka's template
	 * does, until cleared.
	 */
	static final class FailingSender implements OutboxSender, AutoCloseable {

		final Set<String> failOnceLater = ConcurrentHashMap.newKeySet();

		final Set<String> tooLarge = ConcurrentHashMap.newKeySet();

		private final KafkaOutboxSender delegate = new KafkaOutboxSender(
				new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
						TestKafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
						new ByteArraySerializer()),
				"test");

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			if (this.tooLarge.contains(record.eventId())) {
				throw new RecordTooLargeException("too large: " + record.eventId());
			}
			if (this.failOnceLater.remove(record.eventId())) {
				return CompletableFuture.runAsync(() -> {
					throw new CompletionException(new IllegalStateException("failed late: " + record.eventId()));
				}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
			}
			return this.delegate.send(record);
		}

		@Override
		public boolean isRetryable(OutboxRecord record, Throwable error) {
			return this.delegate.isRetryable(record, error);
		}

		@Override
		public boolean isUnavailable(Throwable error) {
			return this.delegate.isUnavailable(error);
		}

		@Override
		public void close() throws Exception {
			this.delegate.destroy();
		}

	}

}
