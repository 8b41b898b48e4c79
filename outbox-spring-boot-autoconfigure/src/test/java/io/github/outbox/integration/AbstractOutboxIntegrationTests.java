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

package io.github.outbox.integration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.integration.OutboxTestApplication.BrokenKey;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.integration.OutboxTestApplication.Unannotated;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end behaviour of the outbox against a real database and a real Kafka broker: an
 * application with the auto-configuration publishes events in transactions and the tests
 * read what reached Kafka. The relay polls only every 10 minutes here, so every delivery
 * also proves that a commit wakes the relay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractOutboxIntegrationTests {

	private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

	private TestDatabase database;

	private ConfigurableApplicationContext context;

	private String topic;

	private TransactionTemplate transactions;

	private JdbcTemplate jdbc;

	private OutboxPublisher outbox;

	protected abstract TestDatabase.Kind databaseKind();

	@BeforeAll
	void startApplication() {
		this.database = TestDatabase.create(databaseKind());
		this.topic = TestKafka.uniqueTopic("orders");
		TestKafka.createTopics(this.topic);
		this.context = new SpringApplicationBuilder(OutboxTestApplication.class).web(WebApplicationType.NONE)
			.properties(this.database.springProperties())
			.properties("spring.application.name=outbox-it",
					"spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
					"spring.liquibase.change-log=classpath:app/changelog.xml", "spring.flyway.enabled=false",
					"test.topic=" + this.topic, "outbox.relay.poll-interval=10m", "outbox.relay.batch-size=100")
			.run();
		this.transactions = this.context.getBean(TransactionTemplate.class);
		this.jdbc = this.context.getBean(JdbcTemplate.class);
		this.outbox = this.context.getBean(OutboxPublisher.class);
	}

	@AfterAll
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void whenTransactionCommitsThenEventReachesKafkaWithKeyAndCloudEventsHeaders() {
		String orderId = uniqueKey();
		this.transactions.executeWithoutResult((status) -> {
			insertOrder(orderId, 42);
			this.context.publishEvent(new OrderPlaced(orderId, 42, "first"));
		});
		Received received = awaitRecords(orderId, 1).get(0);
		assertThat(received.key()).isEqualTo(orderId);
		assertThat(received.value()).isEqualTo("{\"orderId\":\"" + orderId + "\",\"amount\":42,\"note\":\"first\"}");
		Map<String, String> headers = received.headers();
		assertThat(headers).containsEntry("ce_specversion", "1.0")
			.containsEntry("ce_type", OrderPlaced.class.getName())
			.containsEntry("ce_source", "outbox-it")
			.containsEntry("ce_sequence", "1")
			.containsEntry("content-type", "application/json");
		assertThat(UUID.fromString(headers.get("ce_id"))).isNotNull();
		assertThat(Instant.parse(headers.get("ce_time"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
		await().atMost(DELIVERY_TIMEOUT).until(() -> pendingEvents(orderId) == 0);
	}

	@Test
	void whenTransactionRollsBackThenNothingIsWrittenOrSent() {
		String orderId = uniqueKey();
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult((status) -> {
			insertOrder(orderId, 1);
			this.context.publishEvent(new OrderPlaced(orderId, 1, "rolled back"));
			assertThat(pendingEvents(orderId)).isZero();
			throw new IllegalStateException("business failure");
		})).withMessage("business failure");
		assertThat(pendingEvents(orderId)).isZero();
		assertThat(orders(orderId)).isZero();
		// a later event of the same key shares its partition: anything rolled back would
		// precede it
		this.transactions
			.executeWithoutResult((status) -> this.context.publishEvent(new OrderPlaced(orderId, 2, "committed")));
		List<Received> received = awaitRecords(orderId, 1);
		assertThat(received).singleElement().satisfies((record) -> {
			assertThat(record.value()).contains("\"committed\"");
			assertThat(record.sequence()).isEqualTo(1);
		});
	}

	@Test
	void whenTransactionPublishesSeveralEventsThenTheyKeepTheirOrder() {
		String orderId = uniqueKey();
		this.transactions.executeWithoutResult((status) -> {
			for (int amount = 1; amount <= 20; amount++) {
				this.context.publishEvent(new OrderPlaced(orderId, amount, "step"));
			}
		});
		List<Received> received = awaitRecords(orderId, 20);
		assertThat(received).extracting(Received::value)
			.containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20)
				.mapToObj((amount) -> "{\"orderId\":\"" + orderId + "\",\"amount\":" + amount + ",\"note\":\"step\"}")
				.toList());
		assertThat(received).extracting(Received::sequence)
			.containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
		assertThat(received).extracting(Received::partition).containsOnly(received.get(0).partition());
	}

	@Test
	void whenNoTransactionIsActiveThenPublishingFails() {
		String orderId = uniqueKey();
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.context.publishEvent(new OrderPlaced(orderId, 1, "no transaction")))
			.withMessageContaining("No transaction is active");
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.outbox.publish(new OrderPlaced(orderId, 1, "no transaction")))
			.withMessageContaining("No transaction is active");
		assertThat(pendingEvents(orderId)).isZero();
	}

	@Test
	void whenTransactionIsReadOnlyThenPublishingFails() {
		String orderId = uniqueKey();
		TransactionTemplate readOnly = new TransactionTemplate(this.transactions.getTransactionManager());
		readOnly.setReadOnly(true);
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> readOnly
				.executeWithoutResult((status) -> this.context.publishEvent(new OrderPlaced(orderId, 1, "read-only"))))
			.withMessageContaining("read-only");
		assertThat(pendingEvents(orderId)).isZero();
	}

	@Test
	void whenKeyExpressionFailsThenBusinessChangeRollsBack() {
		String orderId = uniqueKey();
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.transactions.executeWithoutResult((status) -> {
				insertOrder(orderId, 5);
				this.context.publishEvent(new BrokenKey(orderId));
			}))
			.withMessageContaining("'customer.id'")
			.withMessageContaining(BrokenKey.class.getName());
		assertThat(orders(orderId)).isZero();
	}

	@Test
	void whenOutboxPublisherGetsTopicKeyAndHeadersThenUnannotatedEventIsSent() {
		String key = uniqueKey();
		this.transactions.executeWithoutResult((status) -> this.outbox.publish(this.topic, key,
				new Unannotated("plain"), Map.of("tenant", "acme & co")));
		Received received = awaitRecords(key, 1).get(0);
		assertThat(received.value()).isEqualTo("{\"name\":\"plain\"}");
		assertThat(received.headers()).containsEntry("tenant", "acme & co")
			.containsEntry("ce_type", Unannotated.class.getName());
	}

	@Test
	void whenKeysDifferOnlyInCaseAccentsOrTrailingSpacesThenEachKeyHasItsOwnSequence() {
		String prefix = uniqueKey();
		List<String> keys = List.of("Case-x", "case-x", "CASE-x", "é", "e", "E", "k", "k ")
			.stream()
			.map((key) -> prefix + "-" + key)
			.toList();
		for (int round = 1; round <= 2; round++) {
			for (String key : keys) {
				int amount = round;
				this.transactions.executeWithoutResult(
						(status) -> this.context.publishEvent(new OrderPlaced(key, amount, "look-alike")));
			}
		}
		assertThat(this.jdbc.queryForList(
				"SELECT event_key FROM outbox_event_sequence WHERE last_sequence = 2 AND event_key LIKE ?",
				String.class, prefix + "%"))
			.containsExactlyInAnyOrderElementsOf(keys);
		List<Received> received = awaitRecords(prefix, 2 * keys.size());
		Map<String, List<Long>> sequences = new HashMap<>();
		received.forEach(
				(record) -> sequences.computeIfAbsent(record.key(), (key) -> new ArrayList<>()).add(record.sequence()));
		assertThat(sequences).containsOnlyKeys(keys)
			.allSatisfy((key, sequence) -> assertThat(sequence).containsExactly(1L, 2L));
	}

	@Test
	void whenWritersOfOneKeyOverlapThenEventsLeaveInCommitOrder() throws Exception {
		String orderId = uniqueKey();
		CountDownLatch firstWritten = new CountDownLatch(1);
		CountDownLatch releaseFirst = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<?> first = executor.submit(() -> this.transactions.executeWithoutResult((status) -> {
				this.context.publishEvent(new OrderPlaced(orderId, 1, "first"));
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void beforeCompletion() {
						// the outbox rows are written: hold the transaction open
						firstWritten.countDown();
						awaitLatch(releaseFirst);
					}

				});
			}));
			assertThat(firstWritten.await(20, TimeUnit.SECONDS)).isTrue();
			Future<?> second = executor.submit(() -> this.transactions
				.executeWithoutResult((status) -> this.context.publishEvent(new OrderPlaced(orderId, 2, "second"))));
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
			releaseFirst.countDown();
			first.get(20, TimeUnit.SECONDS);
			second.get(20, TimeUnit.SECONDS);
		}
		finally {
			releaseFirst.countDown();
			executor.shutdownNow();
		}
		List<Received> received = awaitRecords(orderId, 2);
		assertThat(received).extracting(Received::value)
			.satisfiesExactly((value) -> assertThat(value).contains("\"first\""),
					(value) -> assertThat(value).contains("\"second\""));
		assertThat(received).extracting(Received::sequence).containsExactly(1L, 2L);
	}

	@Test
	void whenManyWritersShareKeysThenEachKeyKeepsCommitOrder() throws Exception {
		String prefix = uniqueKey();
		int threads = 4;
		int eventsPerThread = 300;
		int keys = 20;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		List<Future<?>> writers = new ArrayList<>();
		for (int thread = 0; thread < threads; thread++) {
			int writer = thread;
			writers.add(executor.submit(() -> {
				int counter = 0;
				while (counter < eventsPerThread) {
					int inTransaction = Math.min(1 + ThreadLocalRandom.current().nextInt(3), eventsPerThread - counter);
					int start = counter;
					this.transactions.executeWithoutResult((status) -> {
						for (int i = start; i < start + inTransaction; i++) {
							String key = prefix + "-" + ThreadLocalRandom.current().nextInt(keys);
							this.context.publishEvent(new OrderPlaced(key, i, "w" + writer));
						}
					});
					counter += inTransaction;
				}
			}));
		}
		for (Future<?> writer : writers) {
			writer.get(2, TimeUnit.MINUTES);
		}
		executor.shutdown();
		int total = threads * eventsPerThread;
		List<Received> received = awaitRecords(prefix, total);
		Set<String> ids = new HashSet<>();
		int duplicates = 0;
		Map<String, Long> lastSequence = new HashMap<>();
		Map<String, Integer> lastAmountPerKeyAndWriter = new HashMap<>();
		int orderViolations = 0;
		for (Received record : received) {
			if (!ids.add(record.headers().get("ce_id"))) {
				duplicates++;
				continue;
			}
			long sequence = record.sequence();
			if (sequence != lastSequence.getOrDefault(record.key(), 0L) + 1) {
				orderViolations++;
			}
			lastSequence.put(record.key(), sequence);
			String writer = record.value().replaceAll(".*\"note\":\"(w\\d+)\".*", "$1");
			int amount = Integer.parseInt(record.value().replaceAll(".*\"amount\":(\\d+).*", "$1"));
			Integer previous = lastAmountPerKeyAndWriter.put(record.key() + "/" + writer, amount);
			if (previous != null && previous >= amount) {
				orderViolations++;
			}
		}
		assertThat(ids).hasSize(total);
		assertThat(duplicates).isZero();
		assertThat(orderViolations).isZero();
		assertThat(lastSequence.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
		assertThat(lastSequence).hasSize(keys);
	}

	private List<Received> awaitRecords(String keyPrefix, int count) {
		List<Received> received = TestKafka.consume(this.topic,
				(record) -> record.key() != null && record.key().startsWith(keyPrefix), count, DELIVERY_TIMEOUT,
				Duration.ofMillis(500));
		assertThat(received).as("records with key prefix %s", keyPrefix).hasSize(count);
		return received;
	}

	private void insertOrder(String id, int amount) {
		this.jdbc.update("INSERT INTO orders (id, amount) VALUES (?, ?)", id, amount);
	}

	private int orders(String id) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE id = ?", Integer.class, id);
	}

	private int pendingEvents(String key) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE event_key = ?", Integer.class, key);
	}

	private static String uniqueKey() {
		return "order-" + UUID.randomUUID().toString().substring(0, 13);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
