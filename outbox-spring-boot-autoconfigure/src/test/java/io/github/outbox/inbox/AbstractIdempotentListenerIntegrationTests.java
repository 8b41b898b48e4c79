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

package io.github.outbox.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.relay.RelayNotifier;
import io.github.outbox.testsupport.CommandLine;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@link Idempotent @Idempotent} {@code @KafkaListener} consuming from a real broker
 * and writing to a real database, in a service that only consumes
 * ({@code outbox.enabled=false}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractIdempotentListenerIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private TestDatabase database;

	private ConfigurableApplicationContext context;

	private KafkaProducer<String, String> producer;

	private String topic;

	private JdbcTemplate jdbc;

	protected abstract TestDatabase.Kind databaseKind();

	@BeforeAll
	void start() throws Exception {
		this.database = TestDatabase.create(databaseKind());
		try (var connection = this.database.connect(); var statement = connection.createStatement()) {
			statement.execute("CREATE TABLE payment (event VARCHAR(100))");
		}
		this.topic = TestKafka.uniqueTopic("orders");
		TestKafka.createTopics(this.topic, this.topic + "-refunds");
		this.context = new SpringApplicationBuilder(InboxTestApplication.class).web(WebApplicationType.NONE)
			.run(CommandLine.arguments(this.database.springProperties(),
					new String[] { "spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
							"test.topic=" + this.topic, "spring.kafka.consumer.auto-offset-reset=earliest",
							"spring.liquibase.enabled=false", "spring.flyway.enabled=false",
							// a service that only consumes: the inbox without the outbox
							"outbox.enabled=false" }));
		this.jdbc = this.context.getBean(JdbcTemplate.class);
		this.producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(),
				new StringSerializer());
	}

	@AfterAll
	void stop() {
		if (this.producer != null) {
			this.producer.close();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void withTheOutboxDisabledThereAreNoOutboxTablesOrBackgroundWork() {
		assertThat(this.context.getBeanNamesForType(OutboxPublisher.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(OutboxMonitor.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(OutboxRelay.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(RelayNotifier.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(Inbox.class)).hasSize(1);
		assertThat(this.jdbc.queryForList("SELECT LOWER(table_name) FROM information_schema.tables", String.class))
			.contains("outbox_inbox", "outbox_inbox_sequence")
			.noneMatch((table) -> table.startsWith("outbox_event"));
	}

	@Test
	void eventDeliveredThreeTimesIsAppliedOnce() throws Exception {
		for (int i = 0; i < 3; i++) {
			send("k-1", "id-a", 1, "pay-a");
		}
		await().atMost(TIMEOUT).until(() -> count("outbox.inbox.duplicates") >= 2);
		assertThat(payments("pay-a")).isOne();
		assertThat(count("outbox.inbox.processed")).isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM outbox_inbox WHERE consumer = 'payments' AND event_id = 'id-a'", Integer.class))
			.isOne();
	}

	@Test
	void failedListenerLeavesNoInboxRowAndTheRedeliveryIsApplied() throws Exception {
		send("k-2", "id-b", 1, "fail-once-b");
		await().atMost(TIMEOUT)
			.until(() -> this.jdbc.queryForObject("SELECT COUNT(*) FROM outbox_inbox WHERE event_id = 'id-b'",
					Integer.class) == 1);
		// the first attempt's payment rolled back with its inbox row; the retry applied
		// it
		assertThat(payments("fail-once-b")).isOne();
	}

	@Test
	void staleEventIsSkipped() throws Exception {
		send("k-3", "id-c", 5, "pay-c");
		send("k-3", "id-d", 4, "pay-d");
		await().atMost(TIMEOUT).until(() -> count("outbox.inbox.stale") >= 1);
		assertThat(payments("pay-c")).isOne();
		assertThat(payments("pay-d")).isZero();
	}

	@Test
	void idsAndKeysThatDifferOnlyInCaseOrTrailingSpacesAreDifferentEvents() throws Exception {
		send("Key-e", "id-E", 1, "pay-e1");
		send("key-e", "id-e", 1, "pay-e2");
		send("key-e ", "id-e ", 1, "pay-e3");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(List.of(payments("pay-e1"), payments("pay-e2"), payments("pay-e3")))
				.containsExactly(1, 1, 1));
		assertThat(this.jdbc.queryForList(
				"SELECT event_key FROM outbox_inbox_sequence WHERE consumer = 'payments' AND event_key LIKE '%ey-e%'",
				String.class))
			.containsExactlyInAnyOrder("Key-e", "key-e", "key-e ");
	}

	@Test
	void redeliveredRecordWithAByteArrayKeyIsSkippedAndItsKeyHasOneGuardRow() throws Exception {
		for (int i = 0; i < 3; i++) {
			send(this.topic + "-refunds", "r-1", "id-r1", 1, "refund-1");
		}
		send(this.topic + "-refunds", "r-1", "id-r2", 2, "refund-2");
		send(this.topic + "-refunds", "r-1", "id-r0", 1, "refund-0");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.jdbc
				.queryForObject("SELECT COUNT(*) FROM outbox_inbox WHERE consumer = 'refunds'", Integer.class))
				.isEqualTo(3));
		await().atMost(TIMEOUT).until(() -> count("outbox.inbox.stale", "refunds", this.topic + "-refunds") >= 1);
		assertThat(List.of(payments("refund-1"), payments("refund-2"), payments("refund-0"))).containsExactly(1, 1, 0);
		assertThat(this.jdbc.queryForList("SELECT event_key FROM outbox_inbox_sequence WHERE consumer = 'refunds'",
				String.class))
			.containsExactly("r-1");
	}

	private void send(String key, String id, long sequence, String value) throws Exception {
		send(this.topic, key, id, sequence, value);
	}

	private void send(String topic, String key, String id, long sequence, String value) throws Exception {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
		record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_sequence", Long.toString(sequence).getBytes(StandardCharsets.UTF_8));
		this.producer.send(record).get();
	}

	private int payments(String event) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM payment WHERE event = ?", Integer.class, event);
	}

	private double count(String name) {
		return count(name, "payments", this.topic);
	}

	private double count(String name, String consumer, String topic) {
		List<Counter> counters = List.copyOf(this.context.getBean(MeterRegistry.class)
			.find(name)
			.tags("consumer", consumer, "topic", topic)
			.counters());
		return counters.stream().mapToDouble(Counter::count).sum();
	}

}
