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
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outbox.cdc.app.CdcOrderApplication;
import io.github.outbox.cdc.app.CdcOrderApplication.CommittedEvents;
import io.github.outbox.cdc.app.CdcOrderApplication.OrderService;
import io.github.outbox.cdc.testsupport.DebeziumRelayedApplication;
import io.github.outbox.sample.debezium.EmbeddedOutboxConnector;
import io.github.outbox.sample.debezium.EmbeddedOutboxConnector.ConnectedRecord;
import io.github.outbox.sample.debezium.LogicalReplicationPostgres;
import io.github.outbox.store.OutboxMessage;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a Boot application with {@code outbox.table-layout=debezium}, publishing
 * through {@code ApplicationEventPublisher} and {@code OutboxPublisher} inside
 * {@code @Transactional} methods, relayed by Debezium's embedded engine with the
 * connector configurations of docs/cdc.md: no hand-written rows.
 */
class StarterThroughDebeziumTests {

	private static final String EXACT_TOPIC_CONNECTOR = "io/github/outbox/sample/debezium/connector-postgres.json";

	private static final String EVENTS_CONVENTION_CONNECTOR = "io/github/outbox/sample/debezium/connector-postgres-events-convention.json";

	private static final String TABLE = "io/github/outbox/cdc/outbox-table-postgres.sql";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ObjectMapper json = new ObjectMapper();

	private static LogicalReplicationPostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = LogicalReplicationPostgres.start();
		postgres.createConnectorRole();
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void whenTheApplicationPublishesThenDebeziumSendsTopicKeyHeadersTraceparentAndPayloadOfEachEvent(
			@TempDir Path offsets) throws Exception {
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, EXACT_TOPIC_CONNECTOR, offsets,
				CdcOrderApplication.class)) {
			OrderService orders = cdc.context().getBean(OrderService.class);
			Tracer tracer = cdc.context().getBean(Tracer.class);
			Span request = tracer.nextSpan().name("POST /orders").start();
			try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
				orders.place("order-1", "ada", new BigDecimal("42.50"));
			}
			finally {
				request.end();
			}
			orders.place("order-2", "grace", BigDecimal.TEN);
			orders.publish("orders", "order-1", Map.of("orderId", "order-1", "paid", true));
			List<ConnectedRecord> records = awaitRecords(cdc.connector(), 3);
			List<OutboxMessage> committed = cdc.context().getBean(CommittedEvents.class).messages();
			assertThat(committed).hasSize(3);
			for (int i = 0; i < 3; i++) {
				assertSentAsCaptured(records.get(i), committed.get(i), "orders");
			}
			assertThat(records.get(0).headers().get("traceparent"))
				.isEqualTo("00-" + request.context().traceId() + "-" + request.context().spanId() + "-01");
			assertThat(records.get(0).headers()).containsEntry("ce_type", "OrderPlaced");
			assertThat(records).extracting((record) -> record.headers().get("ce_sequence"))
				.containsExactly("1", "1", "2");
			assertThat(postgres.count(cdc.database(), "outbox_event")).isZero();
		}
	}

	@Test
	void whenTheTransactionRollsBackThenDebeziumSendsNothingOfIt(@TempDir Path offsets) throws Exception {
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, EXACT_TOPIC_CONNECTOR, offsets,
				CdcOrderApplication.class)) {
			OrderService orders = cdc.context().getBean(OrderService.class);
			assertThatIllegalStateException().isThrownBy(() -> orders.placeAndFail("order-declined"));
			orders.place("order-after", "ada", BigDecimal.ONE);
			List<ConnectedRecord> records = awaitRecords(cdc.connector(), 1);
			assertThat(records.get(0).key()).isEqualTo("order-after");
			assertThat(records.get(0).headers()).containsEntry("ce_sequence", "1");
		}
	}

	@Test
	void whenAnEventHasNoKeyThenItsRecordHasNoKeyAndANullSequenceHeader(@TempDir Path offsets) throws Exception {
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, EXACT_TOPIC_CONNECTOR, offsets,
				CdcOrderApplication.class)) {
			cdc.context().getBean(OrderService.class).publish("audit", null, Map.of("what", "login"));
			ConnectedRecord record = awaitRecords(cdc.connector(), 1).get(0);
			assertThat(record.topic()).isEqualTo("audit");
			assertThat(record.key()).isNull();
			// The router places a NULL column as a header with a null value; the embedded
			// relay leaves the header out. The inbox reads both as "no sequence".
			assertThat(record.headers()).containsEntry("ce_sequence", null);
		}
	}

	@Test
	void whenRowsAreKeptThenDebeziumSendsEachEventOnceAndThePurgeSendsNothing(@TempDir Path offsets) throws Exception {
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, EXACT_TOPIC_CONNECTOR, offsets,
				CdcOrderApplication.class, "outbox.retention.published=1ms", "outbox.monitor.refresh-interval=100ms")) {
			OrderService orders = cdc.context().getBean(OrderService.class);
			orders.place("order-1", "ada", BigDecimal.ONE);
			orders.place("order-2", "grace", BigDecimal.TEN);
			awaitRecords(cdc.connector(), 2);
			await().atMost(TIMEOUT).until(() -> postgres.count(cdc.database(), "outbox_event") == 0);
			orders.place("order-3", "alan", BigDecimal.ONE);
			List<ConnectedRecord> records = awaitRecords(cdc.connector(), 3);
			assertThat(records).extracting(ConnectedRecord::key).containsExactly("order-1", "order-2", "order-3");
		}
	}

	@Test
	void whenWritersOfOneKeyRunConcurrentlyThenRecordsFollowTheKeysSequence(@TempDir Path offsets) throws Exception {
		int writers = 4;
		int perWriter = 25;
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, EXACT_TOPIC_CONNECTOR, offsets,
				CdcOrderApplication.class)) {
			OrderService orders = cdc.context().getBean(OrderService.class);
			ExecutorService executor = Executors.newFixedThreadPool(writers);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int writer = 0; writer < writers; writer++) {
					int w = writer;
					done.add(executor.submit(() -> {
						for (int i = 0; i < perWriter; i++) {
							orders.publish("orders", "hot-key", Map.of("writer", w, "n", i));
						}
					}));
				}
				for (Future<?> future : done) {
					future.get(60, TimeUnit.SECONDS);
				}
			}
			finally {
				executor.shutdownNow();
			}
			List<ConnectedRecord> records = awaitRecords(cdc.connector(), writers * perWriter);
			List<String> expected = new ArrayList<>();
			for (int sequence = 1; sequence <= writers * perWriter; sequence++) {
				expected.add(Integer.toString(sequence));
			}
			assertThat(records).extracting((record) -> record.headers().get("ce_sequence"))
				.containsExactlyElementsOf(expected);
			assertThat(new HashSet<>(records.stream().map((record) -> record.headers().get("ce_id")).toList()))
				.hasSize(writers * perWriter);
			// each writer's own events in its order
			for (int writer = 0; writer < writers; writer++) {
				String prefix = "\"writer\":" + writer;
				List<Integer> ns = new ArrayList<>();
				for (ConnectedRecord record : records) {
					Map<?, ?> value = json.readValue(record.value(), Map.class);
					if (((Number) value.get("writer")).intValue() == writer) {
						ns.add(((Number) value.get("n")).intValue());
					}
				}
				assertThat(ns).as(prefix).isSorted().hasSize(perWriter);
			}
		}
	}

	@Test
	void whenTopicsFollowTheEventsConventionThenTheReferenceConnectorRoutesThemToTheSameTopic(@TempDir Path offsets)
			throws Exception {
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, EVENTS_CONVENTION_CONNECTOR,
				offsets, CdcOrderApplication.class, "cdc.topic=order.events")) {
			cdc.context().getBean(OrderService.class).place("order-1", "ada", BigDecimal.ONE);
			ConnectedRecord record = awaitRecords(cdc.connector(), 1).get(0);
			assertSentAsCaptured(record, cdc.context().getBean(CommittedEvents.class).messages().get(0),
					"order.events");
		}
	}

	@Test
	void whenTheStarterCreatesTheTableThenItHasTheColumnsOfTheDocumentedTableWhichItAlsoAccepts(@TempDir Path offsets)
			throws Exception {
		postgres.execute("postgres", "CREATE DATABASE outbox_documented_table");
		postgres.execute("outbox_documented_table", resource(TABLE));
		List<String> documented = columns("outbox_documented_table");
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, null, offsets,
				CdcOrderApplication.class)) {
			assertThat(columns(cdc.database())).isEqualTo(documented);
		}
		// created beforehand, as the migration in docs/cdc.md does
		try (DebeziumRelayedApplication cdc = DebeziumRelayedApplication.start(postgres, "outbox_documented_table",
				null, offsets, CdcOrderApplication.class)) {
			cdc.context().getBean(OrderService.class).place("order-1", "ada", BigDecimal.ONE);
			assertThat(columns(cdc.database())).isEqualTo(documented);
			assertThat(postgres.count(cdc.database(), "outbox_event_sequence")).isOne();
		}
	}

	private static void assertSentAsCaptured(ConnectedRecord record, OutboxMessage message, String topic)
			throws IOException {
		assertThat(record.topic()).isEqualTo(topic);
		assertThat(record.key()).isEqualTo(message.key());
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("ce_specversion", "1.0");
		headers.put("ce_id", message.eventId().toString());
		headers.put("ce_type", message.type());
		headers.put("ce_source", "order-service");
		headers.put("ce_time", message.createdAt().truncatedTo(ChronoUnit.MICROS).toString());
		headers.put("ce_sequence", (message.key() != null) ? record.headers().get("ce_sequence") : null);
		headers.put("content-type", "application/json");
		headers.put("traceparent", message.headers().get("traceparent"));
		assertThat(record.headers()).containsExactlyInAnyOrderEntriesOf(headers);
		assertThat(json.readTree(record.value()))
			.isEqualTo(json.readTree(new String(message.payload(), StandardCharsets.UTF_8)));
	}

	private static List<ConnectedRecord> awaitRecords(EmbeddedOutboxConnector connector, int count) {
		await().atMost(TIMEOUT).until(() -> connector.records().size() >= count);
		List<ConnectedRecord> records = connector.records();
		assertThat(records).hasSize(count);
		return records;
	}

	private static List<String> columns(String database) throws SQLException {
		List<String> columns = new ArrayList<>();
		try (Connection connection = postgres.connect(database);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT column_name, data_type, character_maximum_length, "
						+ "is_nullable, column_default FROM information_schema.columns WHERE table_name = 'outbox_event' "
						+ "ORDER BY column_name")) {
			while (rows.next()) {
				columns.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
						+ rows.getString(4) + " " + rows.getString(5));
			}
		}
		return columns;
	}

	private static String resource(String name) {
		try (InputStream input = StarterThroughDebeziumTests.class.getClassLoader().getResourceAsStream(name)) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
