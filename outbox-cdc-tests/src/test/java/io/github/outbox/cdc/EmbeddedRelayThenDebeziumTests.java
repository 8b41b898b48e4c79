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

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outbox.cdc.app.CdcOrderApplication;
import io.github.outbox.cdc.app.CdcOrderApplication.CommittedEvents;
import io.github.outbox.cdc.app.CdcOrderApplication.OrderService;
import io.github.outbox.cdc.app.CdcPaymentApplication;
import io.github.outbox.cdc.app.CdcPaymentApplication.PaymentListener;
import io.github.outbox.cdc.testsupport.DebeziumRelayedApplication;
import io.github.outbox.sample.debezium.EmbeddedOutboxConnector.ConnectedRecord;
import io.github.outbox.store.OutboxMessage;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * One application, one database, one topic: the same events published first through the
 * embedded relay, then (after the migration of docs/cdc.md: drain, drop the event table,
 * switch to {@code outbox.table-layout=debezium}) through Debezium, whose records a
 * producer writes to the same real broker as a Kafka Connect worker would. The records
 * are compared one by one, and a payment service applies all of them through the
 * starter's inbox.
 */
class EmbeddedRelayThenDebeziumTests extends AbstractPostgresAndBrokerTests {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRelayThenDebeziumTests.class);

	private static final String CONNECTOR = "io/github/outbox/sample/debezium/connector-postgres.json";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ObjectMapper json = new ObjectMapper();

	@Test
	void whenTheSameEventsGoThroughTheEmbeddedRelayAndThroughDebeziumThenTheRecordsMatchAndTheInboxAppliesAll(
			@TempDir Path offsets) throws Exception {
		String topic = "orders-" + UUID.randomUUID().toString().substring(0, 8);
		broker.createTopics(topic);
		postgres.execute("postgres", "CREATE DATABASE orders", "CREATE DATABASE payments");
		String[] common = { "cdc.topic=" + topic, "spring.kafka.bootstrap-servers=" + broker.bootstrapServers() };

		List<OutboxMessage> relayed;
		List<String> relayTraces;
		try (ConfigurableApplicationContext relayApp = new SpringApplicationBuilder(CdcOrderApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.datasource.url=" + postgres.jdbcUrl("orders"), "spring.datasource.username=postgres",
					"spring.application.name=order-service", "management.tracing.sampling.probability=1.0")
			.properties(common)
			.run()) {
			relayTraces = publishScenario(relayApp, topic);
			relayed = relayApp.getBean(CommittedEvents.class).messages();
			// migration step 1: the embedded relay drained the table
			await().atMost(TIMEOUT).until(() -> postgres.count("orders", "outbox_event") == 0);
		}
		// migration step 2: drop the drained table; its sequences stay
		postgres.execute("orders", "DROP TABLE outbox_event");

		List<OutboxMessage> captured;
		List<String> cdcTraces;
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, "orders", CONNECTOR, offsets,
				CdcOrderApplication.class, common);
				KafkaProducer<byte[], byte[]> connectWorker = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
								ProducerConfig.ACKS_CONFIG, "all"),
						new ByteArraySerializer(), new ByteArraySerializer())) {
			cdcTraces = publishScenario(cdc.context(), topic);
			captured = cdc.context().getBean(CommittedEvents.class).messages();
			await().atMost(TIMEOUT).until(() -> cdc.connector().records().size() >= captured.size());
			assertThat(cdc.connector().records()).hasSize(captured.size());
			for (ConnectedRecord record : cdc.connector().records()) {
				connectWorker.send(record.toProducerRecord()).get(10, TimeUnit.SECONDS);
			}

			Map<String, ConsumerRecord<String, String>> onBroker = readAll(topic, relayed.size() + captured.size());
			assertThat(relayed).hasSameSizeAs(captured).hasSize(3);
			Map<String, Long> eventsPerKey = new HashMap<>();
			relayed.forEach((message) -> eventsPerKey.merge(message.key(), 1L, Long::sum));
			for (int i = 0; i < relayed.size(); i++) {
				ConsumerRecord<String, String> viaRelay = onBroker.get(relayed.get(i).eventId().toString());
				ConsumerRecord<String, String> viaDebezium = onBroker.get(captured.get(i).eventId().toString());
				assertThat(viaRelay).as("record of the embedded relay").isNotNull();
				assertThat(viaDebezium).as("record of Debezium").isNotNull();
				assertSameRecord(viaRelay, viaDebezium, eventsPerKey.get(relayed.get(i).key()));
				assertThat(traceId(viaRelay)).isEqualTo(relayTraces.get(i));
				assertThat(traceId(viaDebezium)).isEqualTo(cdcTraces.get(i));
			}

			try (ConfigurableApplicationContext paymentApp = new SpringApplicationBuilder(CdcPaymentApplication.class)
				.web(WebApplicationType.NONE)
				.properties("spring.datasource.url=" + postgres.jdbcUrl("payments"),
						"spring.datasource.username=postgres", "spring.application.name=payment-service",
						"outbox.relay.enabled=false", "spring.kafka.consumer.auto-offset-reset=earliest")
				.properties(common)
				.run()) {
				PaymentListener payments = paymentApp.getBean(PaymentListener.class);
				await().atMost(TIMEOUT).until(() -> payments.applied().size() >= 6);
				// a redelivery of a Debezium record (at-least-once), then a new event of
				// its key
				// (same partition, so the inbox has seen the redelivery when the new
				// event arrives)
				connectWorker.send(cdc.connector().records().get(0).toProducerRecord()).get(10, TimeUnit.SECONDS);
				cdc.context()
					.getBean(OrderService.class)
					.publish(topic, "order-1", Map.of("orderId", "order-1", "shipped", true));
				await().atMost(TIMEOUT).until(() -> cdc.connector().records().size() >= 4);
				connectWorker.send(cdc.connector().records().get(3).toProducerRecord()).get(10, TimeUnit.SECONDS);
				await().atMost(TIMEOUT).until(() -> payments.applied().size() >= 7);
				List<String> appliedIds = payments.applied().stream().map((record) -> header(record, "ce_id")).toList();
				assertThat(appliedIds).hasSize(7).doesNotHaveDuplicates();
				assertThat(payments.applied().get(6).key()).isEqualTo("order-1");
				assertThat(payments.applied().get(6).value()).contains("shipped");
			}
		}
	}

	/**
	 * Two orders and a payment of the first, each in a transaction of its own and under a
	 * request span of its own.
	 * @return the trace id of each event's request
	 */
	private static List<String> publishScenario(ConfigurableApplicationContext context, String topic) {
		OrderService orders = context.getBean(OrderService.class);
		List<Runnable> scenario = List.of(() -> orders.place("order-1", "ada", new BigDecimal("42.50")),
				() -> orders.place("order-2", "grace", BigDecimal.TEN),
				() -> orders.publish(topic, "order-1", Map.of("orderId", "order-1", "paid", true)));
		Tracer tracer = context.getBean(Tracer.class);
		List<String> traces = new ArrayList<>();
		for (Runnable step : scenario) {
			Span request = tracer.nextSpan().name("request").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
				step.run();
			}
			finally {
				request.end();
			}
			traces.add(request.context().traceId());
		}
		return traces;
	}

	/**
	 * Same topic, key, headers and payload (as a JSON value). Only what identifies the
	 * event differs: its id, its time, its place in its key's sequence (which goes on
	 * after the switch) and the span in traceparent (the embedded relay's send span,
	 * Debezium's the publishing span).
	 */
	private static void assertSameRecord(ConsumerRecord<String, String> viaRelay,
			ConsumerRecord<String, String> viaDebezium, long eventsOfKeyBefore) throws IOException {
		logger.info("embedded relay: {} {} {}", viaRelay.key(), headers(viaRelay), viaRelay.value());
		logger.info("Debezium:       {} {} {}", viaDebezium.key(), headers(viaDebezium), viaDebezium.value());
		assertThat(viaDebezium.topic()).isEqualTo(viaRelay.topic());
		assertThat(viaDebezium.key()).isEqualTo(viaRelay.key());
		assertThat(viaDebezium.partition()).isEqualTo(viaRelay.partition());
		Map<String, String> relayHeaders = headers(viaRelay);
		Map<String, String> debeziumHeaders = headers(viaDebezium);
		assertThat(debeziumHeaders.keySet()).isEqualTo(relayHeaders.keySet());
		for (String name : List.of("ce_specversion", "ce_type", "ce_source", "content-type")) {
			assertThat(debeziumHeaders.get(name)).as(name).isEqualTo(relayHeaders.get(name));
		}
		assertThat(Long.parseLong(debeziumHeaders.get("ce_sequence")))
			.isEqualTo(Long.parseLong(relayHeaders.get("ce_sequence")) + eventsOfKeyBefore);
		assertThat(Instant.parse(debeziumHeaders.get("ce_time"))).isAfter(Instant.parse(relayHeaders.get("ce_time")));
		assertThat(json.readTree(viaDebezium.value())).isEqualTo(json.readTree(viaRelay.value()));
	}

	private static Map<String, ConsumerRecord<String, String>> readAll(String topic, int count) {
		Map<String, ConsumerRecord<String, String>> records = new LinkedHashMap<>();
		try (KafkaConsumer<String, String> consumer = consumerFromTheStart(topic)) {
			await().atMost(TIMEOUT).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach((record) -> records.put(header(record, "ce_id"), record));
				return records.size() >= count;
			});
		}
		assertThat(records).hasSize(count);
		return records;
	}

	private static String traceId(ConsumerRecord<String, String> record) {
		return header(record, "traceparent").split("-")[1];
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static Map<String, String> headers(ConsumerRecord<String, String> record) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (Header header : record.headers()) {
			assertThat(headers).as("header %s once", header.key()).doesNotContainKey(header.key());
			headers.put(header.key(),
					(header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null);
		}
		return headers;
	}

}
