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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outbox.cdc.testsupport.EmbeddedOutboxConnector;
import io.github.outbox.cdc.testsupport.EmbeddedOutboxConnector.ConnectedRecord;
import io.github.outbox.cdc.testsupport.LogicalReplicationPostgres;
import io.github.outbox.testsupport.KafkaBrokerProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debezium's outbox event router ({@code io.debezium.transforms.outbox.EventRouter}) on
 * Debezium's embedded engine, reading a PostgreSQL server with {@code wal_level=logical}
 * through {@code pgoutput}, configured by the connector configurations in
 * {@code src/test/resources/io/github/outbox/cdc} (the ones docs/cdc.md shows). Rows are
 * inserted and deleted in the same transaction, as the starter will write them; the
 * records must carry the topic, key, headers and payload the embedded relay sends.
 */
class DebeziumOutboxEventRouterTests {

	private static final Logger logger = LoggerFactory.getLogger(DebeziumOutboxEventRouterTests.class);

	private static final String EXACT_TOPIC_CONNECTOR = "io/github/outbox/cdc/connector-postgres.json";

	private static final String EVENTS_CONVENTION_CONNECTOR = "io/github/outbox/cdc/connector-postgres-events-convention.json";

	private static final String TABLE = "io/github/outbox/cdc/outbox-table-postgres.sql";

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final ObjectMapper json = new ObjectMapper();

	private static final AtomicInteger databases = new AtomicInteger();

	private static LogicalReplicationPostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = LogicalReplicationPostgres.start();
		logger.info("PostgreSQL (wal_level=logical) on port {} started in {} ms", postgres.port(),
				postgres.startupTime().toMillis());
		// The connector's role: it may replicate and read the outbox table, nothing more.
		postgres.execute("postgres", "CREATE ROLE outbox_replication WITH LOGIN REPLICATION PASSWORD 'secret'");
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void whenRowsAreInsertedAndDeletedInOneTransactionThenTheRouterSendsThemToTheirExactTopicWithKeyHeadersAndPayload(
			@TempDir Path offsets) throws Exception {
		Map<String, String> config = connectorConfig(EXACT_TOPIC_CONNECTOR);
		String database = config.get("database.dbname");
		Event placed1 = Event.of("orders", "order", "order-1", "OrderPlaced", 1L,
				"{\"orderId\":\"order-1\",\"customer\":\"ada\",\"amount\":42.50}");
		Event placed2 = Event.of("orders", "order", "order-2", "OrderPlaced", 1L,
				"{\"orderId\":\"order-2\",\"customer\":\"grace\",\"amount\":7}");
		Event paid1 = Event.of("orders", "order", "order-1", "OrderPaid", 2L, "{\"orderId\":\"order-1\"}");
		Event cancelled1 = Event.of("orders", "order", "order-1", "OrderCancelled", 3L, "{\"orderId\":\"order-1\"}");
		Event shipped1 = Event.of("orders", "order", "order-1", "OrderShipped", 3L, "{\"orderId\":\"order-1\"}");
		Event paid2 = Event.of("orders", "order", "order-2", "OrderPaid", 2L, "{\"orderId\":\"order-2\"}");
		try (EmbeddedOutboxConnector connector = EmbeddedOutboxConnector.start(config, offsets);
				Connection connection = postgres.connect(database)) {
			publish(connection, true, placed1, placed2);
			publish(connection, true, paid1);
			publish(connection, false, cancelled1);
			publish(connection, true, shipped1, paid2);
			List<ConnectedRecord> records = awaitRecords(connector, 5);
			assertThat(records).extracting(ConnectedRecord::topic).containsOnly("orders");
			assertThat(records).extracting((record) -> record.headers().get("ce_id"))
				.containsExactly(placed1.id(), placed2.id(), paid1.id(), shipped1.id(), paid2.id());
			assertRoutedAsTheEmbeddedRelaySends(records.get(0), placed1, "orders");
			assertRoutedAsTheEmbeddedRelaySends(records.get(1), placed2, "orders");
			assertRoutedAsTheEmbeddedRelaySends(records.get(2), paid1, "orders");
			assertRoutedAsTheEmbeddedRelaySends(records.get(3), shipped1, "orders");
			assertRoutedAsTheEmbeddedRelaySends(records.get(4), paid2, "orders");
			assertThat(records).filteredOn((record) -> "order-1".equals(record.key()))
				.extracting((record) -> record.headers().get("ce_sequence"))
				.containsExactly("1", "2", "3");
			assertThat(rowCount(connection)).isZero();
		}
	}

	@Test
	void whenWritersOfOneKeyOverlapThenRecordsFollowCommitOrderNotInsertOrder(@TempDir Path offsets)
			throws Exception {
		Map<String, String> config = connectorConfig(EXACT_TOPIC_CONNECTOR);
		String database = config.get("database.dbname");
		Event insertedFirst = Event.of("orders", "order", "order-7", "OrderPlaced", 1L, "{\"n\":1}");
		Event insertedSecond = Event.of("orders", "order", "order-7", "OrderPaid", 2L, "{\"n\":2}");
		try (EmbeddedOutboxConnector connector = EmbeddedOutboxConnector.start(config, offsets);
				Connection first = postgres.connect(database);
				Connection second = postgres.connect(database)) {
			first.setAutoCommit(false);
			second.setAutoCommit(false);
			insertAndDelete(first, insertedFirst);
			insertAndDelete(second, insertedSecond);
			second.commit();
			first.commit();
			List<ConnectedRecord> records = awaitRecords(connector, 2);
			assertThat(records).extracting((record) -> record.headers().get("ce_id"))
				.containsExactly(insertedSecond.id(), insertedFirst.id());
		}
	}

	@Test
	void whenAnEventHasNoKeyThenItsRecordHasNoKeyAndANullSequenceHeader(@TempDir Path offsets) throws Exception {
		Map<String, String> config = connectorConfig(EXACT_TOPIC_CONNECTOR);
		String database = config.get("database.dbname");
		Event keyless = new Event(UUID.randomUUID().toString(), "audit", "audit", null, "AuditLogged", null,
				"{\"what\":\"login\"}", "order-service", Instant.now().toString(),
				"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		try (EmbeddedOutboxConnector connector = EmbeddedOutboxConnector.start(config, offsets);
				Connection connection = postgres.connect(database)) {
			publish(connection, true, keyless);
			ConnectedRecord record = awaitRecords(connector, 1).get(0);
			assertThat(record.topic()).isEqualTo("audit");
			assertThat(record.key()).isNull();
			// The router places a NULL column as a header with a null value; the embedded
			// relay leaves the header out. The inbox reads both as "no sequence".
			assertThat(record.headers()).containsEntry("ce_id", keyless.id()).containsEntry("ce_sequence", null);
		}
	}

	@Test
	void whenRoutedByAggregateTypeThenTheReferenceConventionNamesTheTopic(@TempDir Path offsets) throws Exception {
		Map<String, String> config = connectorConfig(EVENTS_CONVENTION_CONNECTOR);
		String database = config.get("database.dbname");
		Event placed = Event.of("orders", "order", "order-1", "OrderPlaced", 1L, "{\"orderId\":\"order-1\"}");
		Event requested = Event.of("payments", "payment", "payment-1", "PaymentRequested", 1L,
				"{\"paymentId\":\"payment-1\"}");
		try (EmbeddedOutboxConnector connector = EmbeddedOutboxConnector.start(config, offsets);
				Connection connection = postgres.connect(database)) {
			publish(connection, false, placed);
			publish(connection, true, placed, requested);
			List<ConnectedRecord> records = awaitRecords(connector, 2);
			assertRoutedAsTheEmbeddedRelaySends(records.get(0), placed, "order.events");
			assertRoutedAsTheEmbeddedRelaySends(records.get(1), requested, "payment.events");
		}
	}

	@Test
	void whenRoutedRecordsAreProducedToABrokerThenAConsumerReadsTheSameTopicKeyHeadersAndPayloadInOrder(
			@TempDir Path offsets) throws Exception {
		Map<String, String> config = connectorConfig(EXACT_TOPIC_CONNECTOR);
		String database = config.get("database.dbname");
		String topic = "orders-" + UUID.randomUUID().toString().substring(0, 8);
		List<Event> events = new ArrayList<>();
		for (long sequence = 1; sequence <= 3; sequence++) {
			events.add(Event.of(topic, "order", "order-1", "OrderUpdated", sequence, "{\"n\":" + sequence + "}"));
		}
		long brokerStarted = System.nanoTime();
		KafkaBrokerProcess broker = KafkaBrokerProcess.start();
		logger.info("Kafka broker (a JVM of its own, Kafka {}) started in {} ms", AppInfoParser.getVersion(),
				Duration.ofNanos(System.nanoTime() - brokerStarted).toMillis());
		broker.createTopics(topic);
		try (EmbeddedOutboxConnector connector = EmbeddedOutboxConnector.start(config, offsets);
				Connection connection = postgres.connect(database);
				KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
						ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
				KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
						ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
						new StringDeserializer())) {
			for (Event event : events) {
				publish(connection, true, event);
			}
			for (ConnectedRecord record : awaitRecords(connector, events.size())) {
				producer.send(toProducerRecord(record)).get(10, TimeUnit.SECONDS);
			}
			consumer.assign(consumer.partitionsFor(topic)
				.stream()
				.map((partition) -> new TopicPartition(topic, partition.partition()))
				.toList());
			List<ConsumerRecord<String, String>> received = new ArrayList<>();
			await().atMost(TIMEOUT).until(() -> {
				consumer.poll(Duration.ofMillis(100)).forEach(received::add);
				return received.size() >= events.size();
			});
			assertThat(received).hasSize(events.size());
			for (int i = 0; i < events.size(); i++) {
				assertRoutedAsTheEmbeddedRelaySends(asConnectedRecord(received.get(i)), events.get(i), topic);
			}
		}
		finally {
			broker.close();
		}
	}

	private static ProducerRecord<byte[], byte[]> toProducerRecord(ConnectedRecord record) {
		ProducerRecord<byte[], byte[]> producerRecord = new ProducerRecord<>(record.topic(), null,
				(record.key() != null) ? record.key().getBytes(StandardCharsets.UTF_8) : null,
				(record.value() != null) ? record.value().getBytes(StandardCharsets.UTF_8) : null);
		record.headerList()
			.forEach((header) -> producerRecord.headers()
				.add(header.getKey(),
						(header.getValue() != null) ? header.getValue().getBytes(StandardCharsets.UTF_8) : null));
		return producerRecord;
	}

	private static ConnectedRecord asConnectedRecord(ConsumerRecord<String, String> record) {
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		for (Header header : record.headers()) {
			headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(),
					(header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null));
		}
		return new ConnectedRecord(record.topic(), record.key(), record.value(), headers);
	}

	/**
	 * The connector configuration of the given file, pointed at a new database of the
	 * test cluster with the outbox table, its publication and a replication slot of its
	 * own. The slot is created before the engine starts, so that every commit after this
	 * method returned is captured, however long the engine takes to start streaming.
	 */
	private static Map<String, String> connectorConfig(String resource) {
		Map<String, String> config = EmbeddedOutboxConnector.loadConfiguration(resource);
		String database = "outbox_cdc_" + databases.incrementAndGet();
		String slot = database + "_slot";
		postgres.execute("postgres", "CREATE DATABASE " + database);
		postgres.execute(database, resource(TABLE), "GRANT SELECT ON outbox_event TO outbox_replication",
				"CREATE PUBLICATION " + config.get("publication.name") + " FOR TABLE outbox_event",
				"SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
		config.put("database.hostname", postgres.host());
		config.put("database.port", Integer.toString(postgres.port()));
		config.put("database.dbname", database);
		config.put("slot.name", slot);
		config.put("slot.drop.on.stop", "true");
		return config;
	}

	private static List<ConnectedRecord> awaitRecords(EmbeddedOutboxConnector connector, int count) {
		long started = System.nanoTime();
		await().atMost(TIMEOUT).until(() -> connector.records().size() >= count);
		logger.info("{} records arrived {} ms after the last commit (the engine started with the test)", count,
				Duration.ofNanos(System.nanoTime() - started).toMillis());
		// A record of a rolled-back transaction, or a duplicate, would be among those the
		// engine handed over before or with the last commit's records.
		List<ConnectedRecord> records = connector.records();
		assertThat(records).hasSize(count);
		return records;
	}

	private static void assertRoutedAsTheEmbeddedRelaySends(ConnectedRecord record, Event event, String topic)
			throws IOException {
		assertThat(record.topic()).isEqualTo(topic);
		assertThat(record.key()).isEqualTo(event.key());
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("ce_specversion", "1.0");
		headers.put("ce_id", event.id());
		headers.put("ce_type", event.type());
		headers.put("ce_source", event.source());
		headers.put("ce_time", event.time());
		headers.put("ce_sequence", Long.toString(event.sequence()));
		headers.put("content-type", "application/json");
		headers.put("traceparent", event.traceparent());
		assertThat(record.headers()).containsExactlyInAnyOrderEntriesOf(headers);
		// jsonb keeps the JSON value, not its text: the record carries the same JSON,
		// normalised (key order, whitespace) by PostgreSQL.
		assertThat(json.readTree(record.value())).isEqualTo(json.readTree(event.payload()));
	}

	private static void publish(Connection connection, boolean commit, Event... events) throws SQLException {
		connection.setAutoCommit(false);
		for (Event event : events) {
			insertAndDelete(connection, event);
		}
		if (commit) {
			connection.commit();
		}
		else {
			connection.rollback();
		}
	}

	private static void insertAndDelete(Connection connection, Event event) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox_event (id, aggregatetype, "
				+ "aggregateid, type, payload, topic, ce_source, ce_time, ce_sequence, content_type, traceparent, "
				+ "tracingspancontext) VALUES (?::uuid, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)")) {
			insert.setString(1, event.id());
			insert.setString(2, event.aggregateType());
			insert.setString(3, event.key());
			insert.setString(4, event.type());
			insert.setString(5, event.payload());
			insert.setString(6, event.topic());
			insert.setString(7, event.source());
			insert.setString(8, event.time());
			if (event.sequence() != null) {
				insert.setLong(9, event.sequence());
			}
			else {
				insert.setNull(9, Types.BIGINT);
			}
			insert.setString(10, "application/json");
			insert.setString(11, event.traceparent());
			insert.setString(12, "traceparent=" + event.traceparent() + "\n");
			insert.executeUpdate();
		}
		try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox_event WHERE id = ?::uuid")) {
			delete.setString(1, event.id());
			assertThat(delete.executeUpdate()).isOne();
		}
	}

	private static int rowCount(Connection connection) throws SQLException {
		connection.setAutoCommit(true);
		try (Statement statement = connection.createStatement();
				ResultSet count = statement.executeQuery("SELECT count(*) FROM outbox_event")) {
			count.next();
			return count.getInt(1);
		}
	}

	private static String resource(String name) {
		try (InputStream input = DebeziumOutboxEventRouterTests.class.getClassLoader().getResourceAsStream(name)) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One outbox row, with the values the starter's capture gives an event.
	 */
	record Event(String id, String topic, String aggregateType, String key, String type, Long sequence,
			String payload, String source, String time, String traceparent) {

		static Event of(String topic, String aggregateType, String key, String type, Long sequence, String payload) {
			String traceId = UUID.randomUUID().toString().replace("-", "");
			String spanId = traceId.substring(0, 16);
			return new Event(UUID.randomUUID().toString(), topic, aggregateType, key, type, sequence, payload,
					"order-service", Instant.now().truncatedTo(ChronoUnit.MICROS).toString(),
					"00-" + traceId + "-" + spanId + "-01");
		}

	}

}
