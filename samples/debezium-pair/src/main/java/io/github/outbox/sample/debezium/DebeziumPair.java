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

package io.github.outbox.sample.debezium;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.outbox.sample.order.Order;
import io.github.outbox.sample.order.OrderServiceApplication;
import io.github.outbox.sample.order.PlaceOrderRequest;
import io.github.outbox.sample.payment.PaymentRepository;
import io.github.outbox.sample.payment.PaymentRepository.Payment;
import io.github.outbox.sample.payment.PaymentServiceApplication;
import io.github.outbox.testsupport.KafkaBrokerProcess;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

/**
 * The reference setup of the outbox pattern with Debezium, in one command and without
 * Docker: the order service (the order sample with {@code outbox.table-layout=debezium})
 * takes orders over HTTP and writes each {@code OrderPlaced} event into the outbox table
 * of its PostgreSQL; Debezium's outbox event router, configured as docs/cdc.md shows for
 * the {@code <aggregate type>.events} convention, reads the inserts from the database log
 * and a Kafka Connect worker's producer sends them to {@code order.events}; the payment
 * service records one payment per event through its inbox. Each order is placed with a
 * trace of its own ({@code traceparent} on the HTTP request), and the payment must be
 * made in that same trace.
 * <p>
 * Started here: a PostgreSQL cluster with {@code wal_level=logical} (its own data
 * directory and port), a Kafka broker in a JVM of its own, both services, and Debezium's
 * embedded engine in place of Kafka Connect. All of it is stopped and deleted at the end;
 * the exit code is 0 if every order was paid exactly once in its own trace.
 */
public final class DebeziumPair {

	private static final Log logger = LogFactory.getLog(DebeziumPair.class);

	/**
	 * The topic of the order events: aggregate type {@code order}, routed to
	 * {@code order.events} by the connector.
	 */
	public static final String TOPIC = "order.events";

	private static final String CONNECTOR = "io/github/outbox/sample/debezium/connector-postgres-events-convention.json";

	private static final String ORDERS = "sample.demo.orders";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol");

	private DebeziumPair() {
	}

	public static void main(String[] args) throws Exception {
		Summary summary = run(args);
		System.exit(summary.ok() ? 0 : 1);
	}

	/**
	 * Start everything, place {@code sample.demo.orders} orders (3 by default), wait for
	 * their payments and stop everything again.
	 * @param args command line arguments of both services
	 * @return the summary of the run
	 * @throws Exception if a part could not be started
	 */
	public static Summary run(String... args) throws Exception {
		Path offsets = Files.createTempDirectory("outbox-debezium-offsets-");
		try (LogicalReplicationPostgres postgres = LogicalReplicationPostgres.start();
				KafkaBrokerProcess broker = KafkaBrokerProcess.start()) {
			logger.info("Started PostgreSQL with wal_level=logical on port %d and a Kafka broker at %s"
				.formatted(postgres.port(), broker.bootstrapServers()));
			postgres.createConnectorRole();
			postgres.execute("postgres", "CREATE DATABASE orders", "CREATE DATABASE payments");
			broker.createTopics(TOPIC);
			try (ConfigurableApplicationContext orders = SpringApplication.run(OrderServiceApplication.class,
					arguments(args, broker, postgres.jdbcUrl("orders"), "--outbox.table-layout=debezium",
							// the orders are placed here, each in a trace of its own
							"--" + ORDERS + "=0"));
					KafkaProducer<byte[], byte[]> connectWorker = connectWorker(broker);
					EmbeddedOutboxConnector connector = EmbeddedOutboxConnector.start(
							postgres.publishOutboxTable("orders", CONNECTOR, "outbox_slot"), offsets,
							(record) -> send(connectWorker, record));
					ConfigurableApplicationContext payments = PaymentServiceApplication
						.run(arguments(args, broker, postgres.jdbcUrl("payments")))) {
				return placeOrdersAndAwaitPayments(orders, payments, connector, orderCount(args));
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(offsets);
		}
	}

	private static String[] arguments(String[] args, KafkaBrokerProcess broker, String jdbcUrl, String... more) {
		List<String> arguments = new ArrayList<>(List.of(
				"--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "--sample.embedded-kafka=false",
				"--sample.topic=" + TOPIC, "--spring.datasource.url=" + jdbcUrl,
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				// both services log to the same console: the class names tell them apart
				"--logging.include-application-name=false", "--logging.level.io.debezium=warn"));
		// the command line wins; its number of orders is this pair's, not the order
		// service's demo
		Stream.of(args).filter((arg) -> !arg.startsWith("--" + ORDERS + "=")).forEach(arguments::add);
		arguments.addAll(List.of(more));
		return arguments.toArray(String[]::new);
	}

	private static int orderCount(String[] args) {
		String orders = new SimpleCommandLinePropertySource(args).getProperty(ORDERS);
		int count = (orders != null) ? Integer.parseInt(orders) : 3;
		if (count < 1) {
			throw new IllegalArgumentException(ORDERS + " must be at least 1, was " + orders);
		}
		return count;
	}

	/**
	 * The producer of the Kafka Connect worker: sends each record the router emits, with
	 * its key, value and headers as the connector's converters wrote them, and waits for
	 * the broker's acknowledgement, as Connect does before it commits the source offset.
	 */
	private static KafkaProducer<byte[], byte[]> connectWorker(KafkaBrokerProcess broker) {
		return new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
						"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
				new ByteArraySerializer(), new ByteArraySerializer());
	}

	private static void send(KafkaProducer<byte[], byte[]> producer, EmbeddedOutboxConnector.ConnectedRecord record) {
		try {
			producer.send(record.toProducerRecord()).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not send " + record, ex);
		}
	}

	private static Summary placeOrdersAndAwaitPayments(ConfigurableApplicationContext orders,
			ConfigurableApplicationContext payments, EmbeddedOutboxConnector connector, int count)
			throws InterruptedException {
		RestClient restClient = RestClient.builder()
			.baseUrl("http://localhost:" + ((WebServerApplicationContext) orders).getWebServer().getPort())
			.build();
		Map<String, String> traceByOrder = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			String traceId = HexFormat.of().formatHex(randomBytes(16));
			String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
			Order order = restClient.post()
				.uri("/orders")
				.header("traceparent", traceparent)
				.body(new PlaceOrderRequest(CUSTOMERS.get(i % CUSTOMERS.size()),
						BigDecimal.valueOf(1000L + i * 1250L, 2)))
				.retrieve()
				.body(Order.class);
			if (order == null) {
				throw new IllegalStateException("No order in the response of POST /orders");
			}
			logger.info("Placed order %s for %s, amount %s, in trace %s".formatted(order.id(), order.customer(),
					order.amount(), traceId));
			traceByOrder.put(order.id(), traceId);
		}
		PaymentRepository paymentRepository = payments.getBean(PaymentRepository.class);
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (paymentRepository.findAll().size() < count && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		Summary summary = new Summary(traceByOrder, connector.records().size(), paymentRepository.findAll());
		summary.payments()
			.forEach((payment) -> logger.info("Payment for order %s (%s) in trace %s, %s".formatted(payment.orderId(),
					payment.amount(), payment.traceId(),
					(payment.traceId() != null && payment.traceId().equals(traceByOrder.get(payment.orderId())))
							? "the trace of its order request" : "NOT the trace of its order request")));
		logger.info(("Debezium pair: %d orders placed over HTTP, %d events routed by Debezium to %s, %d payments made, "
				+ "%d in the trace of their order")
			.formatted(count, summary.routed(), TOPIC, summary.payments().size(), summary.paidInTheOrdersTrace()));
		return summary;
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	/**
	 * What a run did.
	 *
	 * @param traceByOrder the trace id each order was placed in, by order id
	 * @param routed the records Debezium's outbox event router emitted
	 * @param payments the payments made
	 */
	public record Summary(Map<String, String> traceByOrder, int routed, List<Payment> payments) {

		/**
		 * The payments made in the trace of their order's request.
		 * @return how many
		 */
		public long paidInTheOrdersTrace() {
			return this.payments.stream()
				.filter((payment) -> payment.traceId() != null
						&& payment.traceId().equals(this.traceByOrder.get(payment.orderId())))
				.count();
		}

		/**
		 * Whether every order's event was routed by Debezium once and every order was
		 * paid exactly once, in the trace of its request.
		 * @return {@code true} if the run went as it should
		 */
		public boolean ok() {
			return !this.traceByOrder.isEmpty() && this.routed == this.traceByOrder.size()
					&& this.payments.size() == this.traceByOrder.size()
					&& this.payments.stream().map(Payment::orderId).distinct().count() == this.traceByOrder.size()
					&& paidInTheOrdersTrace() == this.traceByOrder.size();
		}

	}

}
