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
package io.github.outbox.cdc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.outbox.cdc.app.CdcOrderApplication;
import io.github.outbox.cdc.app.CdcOrderApplication.CommittedEvents;
import io.github.outbox.cdc.app.CdcOrderApplication.OrderService;
import io.github.outbox.cdc.testsupport.DebeziumRelayedApplication;
import io.github.outbox.store.OutboxMessage;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Time from the commit of a publishing transaction to the record arriving at a consumer
 * of a real broker, one event at a time, through the embedded relay (defaults) and
 * through Debezium's embedded engine with the connector configuration of docs/cdc.md
 * (Debezium's defaults, records produced as they are emitted, as Kafka Connect's worker
 * does). Logs the percentiles; asserts only that every event arrives within a bound.
 */
class CommitToBrokerLatencyTests extends AbstractPostgresAndBrokerTests {

	private static final Logger logger = LoggerFactory.getLogger(CommitToBrokerLatencyTests.class);

	private static final int EVENTS = 50;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void eachEventReachesTheBrokerThroughEitherRelayWithinSeconds(@TempDir Path offsets) throws Exception {
		String relayTopic = "latency-relay-" + UUID.randomUUID().toString().substring(0, 8);
		String cdcTopic = "latency-cdc-" + UUID.randomUUID().toString().substring(0, 8);
		Files.createDirectories(offsets.resolve("defaults"));
		Files.createDirectories(offsets.resolve("fast"));
		broker.createTopics(relayTopic, cdcTopic);
		postgres.execute("postgres", "CREATE DATABASE latency_relay", "CREATE DATABASE latency_cdc");
		List<Long> relay;
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CdcOrderApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + postgres.jdbcUrl("latency_relay"),
					"spring.datasource.username=postgres", "spring.application.name=order-service",
					"spring.kafka.bootstrap-servers=" + broker.bootstrapServers())
			.run()) {
			relay = measure(app, relayTopic);
		}
		List<Long> cdc = measureDebezium(offsets.resolve("defaults"), "latency_cdc", cdcTopic, Map.of());
		postgres.execute("postgres", "CREATE DATABASE latency_cdc_fast");
		List<Long> cdcFast = measureDebezium(offsets.resolve("fast"), "latency_cdc_fast", cdcTopic,
				Map.of("poll.interval.ms", "50"));
		logger.info(
				"commit -> record at the consumer, {} events one at a time: embedded relay {}; Debezium {}; "
						+ "Debezium with poll.interval.ms=50 {}",
				EVENTS, percentiles(relay), percentiles(cdc), percentiles(cdcFast));
		assertThat(relay).hasSize(EVENTS).allMatch((nanos) -> nanos < TimeUnit.SECONDS.toNanos(10));
		assertThat(cdc).hasSize(EVENTS).allMatch((nanos) -> nanos < TimeUnit.SECONDS.toNanos(10));
		assertThat(cdcFast).hasSize(EVENTS).allMatch((nanos) -> nanos < TimeUnit.SECONDS.toNanos(10));
	}

	private static List<Long> measureDebezium(Path offsets, String database, String topic,
			Map<String, String> connectorOverrides) throws Exception {
		try (KafkaProducer<byte[], byte[]> connectWorker = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.LINGER_MS_CONFIG, 0),
				new ByteArraySerializer(), new ByteArraySerializer());
				DebeziumRelayedApplication app = DebeziumRelayedApplication.start(postgres, database,
						"io/github/outbox/sample/debezium/connector-postgres.json", offsets,
						(record) -> send(connectWorker, record.toProducerRecord()), connectorOverrides,
						CdcOrderApplication.class)) {
			return measure(app.context(), topic);
		}
	}

	private static List<Long> measure(ConfigurableApplicationContext app, String topic) {
		OrderService orders = app.getBean(OrderService.class);
		CommittedEvents committed = app.getBean(CommittedEvents.class);
		List<Long> latencies = new ArrayList<>();
		Map<String, Long> arrivals = new HashMap<>();
		try (KafkaConsumer<String, String> consumer = consumerFromTheStart(topic)) {
			// the first event warms up both paths (connections, metadata, the engine's
			// first poll)
			for (int i = 0; i <= EVENTS; i++) {
				orders.publish(topic, "order-" + (i % 7), Map.of("n", i));
				List<OutboxMessage> messages = committed.messages();
				OutboxMessage message = messages.get(messages.size() - 1);
				String id = message.eventId().toString();
				await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() -> {
					consumer.poll(Duration.ofMillis(5)).forEach((record) -> {
						Header header = record.headers().lastHeader("ce_id");
						arrivals.put(new String(header.value(), StandardCharsets.UTF_8), System.nanoTime());
					});
					return arrivals.containsKey(id);
				});
				if (i > 0) {
					latencies.add(arrivals.get(id) - committed.committedAt(message.eventId()));
				}
			}
		}
		return latencies;
	}

	private static void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
		try {
			producer.send(record).get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not produce " + record, ex);
		}
	}

	private static String percentiles(List<Long> nanos) {
		List<Long> sorted = nanos.stream().sorted().toList();
		return String.format("p50 %.1f ms, p95 %.1f ms, max %.1f ms", millis(sorted, 0.50), millis(sorted, 0.95),
				sorted.get(sorted.size() - 1) / 1e6);
	}

	private static double millis(List<Long> sorted, double percentile) {
		return sorted.get((int) Math.ceil(percentile * sorted.size()) - 1) / 1e6;
	}

}
