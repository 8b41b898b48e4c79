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

package io.github.outbox.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.outbox.autoconfigure.OutboxProperties;
import io.github.outbox.benchmarks.peer.PeerMain;
import io.github.outbox.capture.OutboxCapture;
import io.github.outbox.capture.OutboxEventDescriptors;
import io.github.outbox.capture.OutsideTransaction;
import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.relay.OutboxRelayListener;
import io.github.outbox.relay.PostgresRelayWakeUp;
import io.github.outbox.relay.RelayNotifier;
import io.github.outbox.relay.RetryBackoff;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.store.OutboxDialect;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxTables;
import io.github.outbox.task.OutboxTaskSchedulers;
import io.github.outbox.testsupport.ThrowawayPostgres;
import org.jspecify.annotations.Nullable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Benchmarks of the outbox on this machine: PostgreSQL and an in-process Kafka broker
 * (KRaft), the same event (500 bytes, 1,000 keys) everywhere, acks=all and idempotence
 * on. Prints a table and writes {@code docs/benchmarks.md} and
 * {@code docs/benchmarks.svg} from {@code docs/benchmarks.tsv}, where this run's rows
 * replace those of the scenarios it ran.
 * <p>
 * Options: {@code --events=100000} (drain backlog), {@code --runs=3} (median reported),
 * {@code --steady-seconds=60}, {@code --rate=2000} (steady events/s),
 * {@code --large=1000000} (second backlog for the scaling figure, 0 to skip),
 * {@code --only=peers,limits,relay,scaling,steady,peer-steady,capture} (a subset),
 * {@code --peers=outbox,modulith,namastack} (the peers of the peers and peer-steady
 * scenarios), {@code --profile=<directory>} (a JFR recording of every peer process),
 * {@code --compare=relay-500-1,relay-500-2,app} (raw loop then each variant per run,
 * ratios printed, no docs written), {@code --steady-compare=relay-2-5,relay-1-0} (steady
 * raw loop then the relay, one instance, with each concurrency and linger in ms, per run,
 * p99 ratios printed, no docs written), {@code --jdbc=jdbc:postgresql://127.0.0.1:5432/},
 * {@code --docs=docs}.
 */
public final class Benchmarks {

	private static final int KEYS = 1000;

	private static final byte[] PAYLOAD = payload();

	/**
	 * The partitions of every topic the benchmarks create.
	 */
	private static final int PARTITIONS = 3;

	private static final Map<String, String> PEERS = peers();

	/**
	 * The relay's linger as the auto-configuration sets it, for the relays and notifier
	 * built here.
	 */
	private static final Duration LINGER = new OutboxProperties().getRelay().getLinger();

	/**
	 * The scenarios, in the order of the report.
	 */
	private static final List<String> SCENARIOS = List.of("peers", "limits", "relay", "scaling", "steady",
			"peer-steady", "capture", "app-capture");

	private final Map<String, String> options;

	/**
	 * The server of the scenarios' databases while a scenario runs on a server of its
	 * own.
	 */
	private @Nullable String jdbcOverride;

	private final String bootstrapServers;

	private final List<Row> rows = new ArrayList<>();

	private Benchmarks(Map<String, String> options, String bootstrapServers) {
		this.options = options;
		this.bootstrapServers = bootstrapServers;
	}

	public static void main(String[] args) throws Exception {
		// Liquibase logs through java.util.logging when Spring Boot does not set up
		// logging
		java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
		broker.afterPropertiesSet();
		try {
			new Benchmarks(options, broker.getBrokersAsString()).run();
		}
		finally {
			broker.destroy();
		}
		System.exit(0);
	}

	private int option(String name, int defaultValue) {
		return Integer.parseInt(this.options.getOrDefault(name, Integer.toString(defaultValue)));
	}

	private boolean selected(String scenario) {
		String only = this.options.get("only");
		return only == null || Arrays.asList(only.split(",")).contains(scenario);
	}

	private void run() throws Exception {
		int events = option("events", 100_000);
		int runs = option("runs", 3);
		int large = option("large", 1_000_000);
		System.out.printf("Benchmarks: %d events of %d bytes over %d keys, median of %d runs%n", events, PAYLOAD.length,
				KEYS, runs);
		if (this.options.containsKey("compare")) {
			compare(events, runs, this.options.get("compare").split(","));
			return;
		}
		if (this.options.containsKey("steady-compare")) {
			steadyCompare(option("steady-seconds", 60), option("rate", 2000), runs,
					this.options.get("steady-compare").split(","));
			return;
		}
		scenario("peers", () -> peerDrains(events, runs));
		scenario("limits", () -> {
			// warm-up of this process's paths, not measured, as each Boot app warms up
			// before its drain (--warm-up): the JIT compiles them, the broker included
			producerAlone(Math.min(events, 20_000));
			rawLimit(Math.min(events, 20_000));
			record("Kafka producer alone", "drain", median(runs, () -> producerAlone(events)), events);
			// the raw loop and the Boot app run after run, so that both medians come from
			// the same moments
			long[] raw = new long[runs];
			long[] app = new long[runs];
			for (int run = 0; run < runs; run++) {
				raw[run] = rawLimit(events);
				app[run] = Long
					.parseLong(peer("outbox", "drain", "--events=" + events, "--warm-up=" + option("warm-up", 20_000))
						.get("nanos"));
			}
			record("raw limit (select, send, await, delete)", "drain", median(raw), events).id = "raw";
			record("outbox starter, Boot app with defaults (ApplicationEventPublisher)", "drain", median(app),
					events).id = "limits-app";
		});
		scenario("relay", () -> {
			// warm-up, not measured, as above
			relayDrain(Math.min(events, 20_000), 2000, 2);
			record("outbox relay, defaults (batch 2000, concurrency 2)", "drain",
					median(runs, () -> relayDrain(events, 2000, 2)), events).id = "relay-defaults";
			record("outbox relay, batch 500, concurrency 1 (the earlier defaults)", "drain",
					median(runs, () -> relayDrain(events, 500, 1)), events);
		});
		if (large > 0) {
			scenario("scaling", () -> {
				// a drain not measured first: the 10k figure, the yardstick of the large
				// one, came out at 23-27k events/s as the section's first drain and at
				// 35-43k after others
				relayDrain(10_000, 2000);
				record("outbox relay, defaults, backlog 10000", "scaling", median(runs, () -> relayDrain(10_000, 2000)),
						10_000).id = "scaling-small";
				record("outbox relay, defaults, backlog " + large, "scaling", relayDrain(large, 2000),
						large).id = "scaling-large";
				// the machine's shared server runs without autovacuum, which no
				// production server
				// does: the same on a PostgreSQL with default settings, started for this
				try (ThrowawayPostgres postgres = ThrowawayPostgres.start()) {
					this.jdbcOverride = "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/";
					String server = ", PostgreSQL with default settings (own cluster, autovacuum on)";
					relayDrain(10_000, 2000);
					record("outbox relay, defaults, backlog 10000" + server, "scaling",
							median(runs, () -> relayDrain(10_000, 2000)), 10_000).id = "scaling-small-default";
					record("outbox relay, defaults, backlog " + large + server, "scaling", relayDrain(large, 2000),
							large).id = "scaling-large-default";
				}
				finally {
					this.jdbcOverride = null;
				}
			});
		}
		scenario("steady", () -> {
			steadyProducer(option("steady-seconds", 60), option("rate", 2000));
			steadyRaw(option("steady-seconds", 60), option("rate", 2000));
			for (Instances instances : Instances.values()) {
				steadyLatency(option("steady-seconds", 60), option("rate", 2000), instances);
			}
		});
		scenario("peer-steady", () -> peerSteady(option("steady-seconds", 60), option("rate", 2000)));
		scenario("capture", () -> captureOverhead(2000));
		scenario("app-capture", () -> appCapture(option("transactions", 1000)));
		report(events, runs);
	}

	/**
	 * Run the given scenario if it is selected, and mark the rows it produced as its own:
	 * the results file keeps the rows of the scenarios that did not run.
	 */
	private void scenario(String name, ThrowingRunnable body) throws Exception {
		if (selected(name)) {
			int before = this.rows.size();
			body.run();
			String date = LocalDate.now().toString();
			this.rows.subList(before, this.rows.size()).forEach((row) -> {
				row.scenario = name;
				row.date = date;
			});
		}
	}

	/**
	 * This starter, Spring Modulith and namastack-outbox, each as a Spring Boot
	 * application in a process of its own, the runs interleaved so that a slow moment of
	 * the machine does not fall on one library only.
	 */
	private void peerDrains(int events, int runs) throws Exception {
		List<String> peers = selectedPeers();
		Map<String, long[]> nanos = new LinkedHashMap<>();
		peers.forEach((peer) -> nanos.put(peer, new long[runs]));
		for (int run = 0; run < runs; run++) {
			for (String peer : peers) {
				Map<String, String> result = peer(peer, "drain", "--events=" + events,
						"--warm-up=" + option("warm-up", 20_000));
				nanos.get(peer)[run] = Long.parseLong(result.get("nanos"));
			}
		}
		nanos.forEach((peer, results) -> record(PEERS.get(peer) + ", drain", "peer-drain", median(results),
				events).id = "peer-drain-" + peer);
	}

	private void peerSteady(int seconds, int rate) throws Exception {
		for (String peer : selectedPeers()) {
			Map<String, String> result = peer(peer, "steady", "--rate=" + rate, "--seconds=" + seconds);
			Row row = new Row(
					PEERS.get(peer) + ", steady " + rate + "/s for " + seconds + " s (achieved "
							+ result.get("achieved") + "/s, " + result.get("missing") + " missing)",
					"peer-latency", 0, Long.parseLong(result.get("events")), micros(result, "p50"),
					micros(result, "p99"), micros(result, "max"));
			row.id = "peer-latency-" + peer;
			this.rows.add(row);
			System.out.println(row.text());
		}
	}

	private static long micros(Map<String, String> result, String name) {
		return TimeUnit.MICROSECONDS.toNanos(Long.parseLong(result.get(name)));
	}

	private Map<String, String> peer(String peer, String scenario, String... arguments) throws Exception {
		try (BenchDatabase database = new BenchDatabase(jdbc())) {
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			if (this.options.containsKey("profile")) {
				// a JFR recording of each peer process, to see where its time goes
				command.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(this.options.get("profile"),
						peer + "-" + scenario + "-" + System.nanoTime() + ".jfr"));
			}
			command.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerMain.class.getName(),
					"--peer=" + peer, "--scenario=" + scenario, "--bootstrap-servers=" + this.bootstrapServers,
					"--jdbc=" + database.url()));
			if (peer.equals("outbox") && this.options.containsKey("app-properties")) {
				// tuning the Boot app: after the fixed options, so that they win, and
				// before the scenario's arguments, so that a compared variant's win
				for (String property : this.options.get("app-properties").split(",")) {
					command.add("--" + property);
				}
			}
			command.addAll(Arrays.asList(arguments));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			Map<String, String> result = null;
			try (BufferedReader output = process.inputReader()) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					if (line.startsWith("RESULT ")) {
						result = new HashMap<>();
						for (String pair : line.substring(7).split(" ")) {
							if (pair.contains("=")) {
								result.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
							}
						}
					}
					else {
						System.out.println("  [" + peer + "] " + line);
					}
				}
			}
			int exitCode = process.waitFor();
			if (exitCode != 0 || result == null) {
				throw new IllegalStateException(peer + " " + scenario + " failed, exit code " + exitCode);
			}
			System.out.println("  [" + peer + "] " + scenario + " " + result);
			return result;
		}
	}

	/**
	 * A quick comparison for tuning on a busy machine, not written to the docs: each run
	 * measures the raw loop, then every named variant, so that each ratio compares two
	 * figures taken moments apart. Variants: {@code relay-<batch>-<concurrency>} (the
	 * relay in this process), {@code app} (the Boot app with defaults in a process of its
	 * own), {@code app+<property>=<value>} (the Boot app with the given properties,
	 * several joined by {@code +}) and {@code raw-headers} (the raw loop sending the
	 * starter's headers with each record).
	 */
	private void compare(int events, int runs, String[] variants) throws Exception {
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		Map<String, List<Double>> cpu = new LinkedHashMap<>();
		// warm-up: every code path once, not measured; the raw loop with a whole backlog,
		// as after 10,000 events its first measured run was still the slowest of a series
		// (53,000-68,000 events/s against 105,000-147,000 after it)
		rawLimit(events);
		for (String variant : variants) {
			if (variant.startsWith("relay-")) {
				String[] parts = variant.split("-");
				relayDrain(Math.min(events, 10_000), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
			}
		}
		for (int run = 0; run < runs; run++) {
			long raw = rawLimit(events);
			System.out.printf(Locale.ROOT, "run %d: raw %,.0f events/s%n", run, events * 1e9 / raw);
			for (String variant : variants) {
				long nanos;
				if (variant.equals("raw-headers")) {
					nanos = rawLimit(events, true);
				}
				else if (variant.equals("app") || variant.startsWith("app+")) {
					List<String> arguments = new ArrayList<>(
							List.of("--events=" + events, "--warm-up=" + option("warm-up", 20_000)));
					Arrays.stream(variant.split("\\+")).skip(1).forEach((property) -> arguments.add("--" + property));
					Map<String, String> result = peer("outbox", "drain", arguments.toArray(String[]::new));
					nanos = Long.parseLong(result.get("nanos"));
					// the app's own CPU per event: steadier than its rate on a noisy
					// machine, as the other processes' share of the CPU does not count
					double cpuMicros = Long.parseLong(result.get("cpu-nanos")) / 1e3 / events;
					cpu.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(cpuMicros);
					System.out.printf(Locale.ROOT, "run %d: %-16s app CPU %.2f µs per event%n", run, variant,
							cpuMicros);
				}
				else {
					String[] parts = variant.split("-");
					nanos = relayDrain(events, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
				}
				double ratio = (double) raw / nanos;
				ratios.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(ratio);
				System.out.printf(Locale.ROOT, "run %d: %-16s %,.0f events/s  %.2f of raw%n", run, variant,
						events * 1e9 / nanos, ratio);
			}
		}
		printMedians(ratios, "ratios to raw");
		printMedians(cpu, "app CPU µs per event");
	}

	/**
	 * Steady latency, one instance, of the relay in process with the given settings
	 * ({@code relay-<concurrency>-<linger in ms>}) against the raw loop, run after run:
	 * their p99 and its ratio to the raw loop's are printed, nothing is written.
	 */
	private void steadyCompare(int seconds, int rate, int runs, String[] variants) throws Exception {
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		// warm-up, not measured: without it the first run's raw loop and relay had a p99
		// of 22 ms against 7-12 ms in the runs after it
		int warmUpSeconds = Math.min(seconds, 10);
		steadyRaw(warmUpSeconds, rate);
		for (String variant : variants) {
			steadyRelay(warmUpSeconds, rate, variant);
		}
		for (int run = 0; run < runs; run++) {
			long raw = steadyRaw(seconds, rate).p99;
			System.out.printf(Locale.ROOT, "run %d: raw loop p99 %.1f ms%n", run, raw / 1e6);
			for (String variant : variants) {
				long p99 = steadyRelay(seconds, rate, variant);
				double ratio = (double) p99 / raw;
				ratios.computeIfAbsent(variant, (key) -> new ArrayList<>()).add(ratio);
				System.out.printf(Locale.ROOT, "run %d: %-16s p99 %.1f ms  %.2fx the raw loop's%n", run, variant,
						p99 / 1e6, ratio);
			}
		}
		printMedians(ratios, "ratios to raw");
	}

	/**
	 * Steady latency, one instance, of the relay in process with the settings of a
	 * {@code relay-<concurrency>-<linger in ms>[-<producer linger.ms>]} variant.
	 * @return its p99 in nanoseconds
	 */
	private long steadyRelay(int seconds, int rate, String variant) throws Exception {
		String[] parts = variant.split("-");
		int producerLingerMs = (parts.length > 3) ? Integer.parseInt(parts[3]) : KafkaOutboxSender.RELAY_LINGER_MS;
		return steadyLatency(seconds, rate, Instances.ONE, Integer.parseInt(parts[1]),
				Duration.ofMillis(Long.parseLong(parts[2])), producerLingerMs).p99;
	}

	private static void printMedians(Map<String, List<Double>> figures, String what) {
		figures.forEach((variant, values) -> System.out.printf(Locale.ROOT, "%-16s %s %s, median %.2f%n", variant, what,
				values.stream().map((value) -> String.format(Locale.ROOT, "%.2f", value)).toList(),
				values.stream().sorted().toList().get(values.size() / 2)));
	}

	// ---------------------------------------------------------------- scenarios

	private long producerAlone(int events) throws Exception {
		String topic = topic("producer");
		// fire and forget until the end: Kafka's default linger batches best here
		Map<String, Object> config = producerConfig();
		config.remove(ProducerConfig.LINGER_MS_CONFIG);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			long start = System.nanoTime();
			List<Future<?>> acks = new ArrayList<>(events);
			for (int i = 0; i < events; i++) {
				acks.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % KEYS), PAYLOAD)));
			}
			for (Future<?> ack : acks) {
				ack.get();
			}
			return System.nanoTime() - start;
		}
	}

	private long rawLimit(int events) throws Exception {
		return rawLimit(events, false);
	}

	/**
	 * The raw loop: select 2,000, send all, await, delete.
	 * @param events the backlog
	 * @param headers whether each record carries the headers the starter's records do
	 * (the CloudEvents attributes and {@code content-type}), to tell the cost of the
	 * records' format from the relay's
	 */
	private long rawLimit(int events, boolean headers) throws Exception {
		try (BenchDatabase database = new BenchDatabase(jdbc())) {
			JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
			jdbc.execute("CREATE TABLE raw_outbox (id BIGSERIAL PRIMARY KEY, event_key VARCHAR(255), payload BYTEA)");
			for (int from = 0; from < events; from += 1000) {
				List<Object[]> batch = new ArrayList<>();
				for (int i = from; i < Math.min(events, from + 1000); i++) {
					batch.add(new Object[] { "key-" + (i % KEYS), PAYLOAD });
				}
				jdbc.batchUpdate("INSERT INTO raw_outbox (event_key, payload) VALUES (?, ?)", batch);
			}
			String topic = topic("raw");
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(database.dataSource()));
			try (KafkaProducer<String, byte[]> producer = producer()) {
				long start = System.nanoTime();
				int read;
				do {
					Integer count = transactions.execute((status) -> {
						List<Map<String, Object>> rows = jdbc
							.queryForList("SELECT id, event_key, payload FROM raw_outbox ORDER BY id LIMIT 2000");
						List<Future<?>> acks = new ArrayList<>(rows.size());
						for (Map<String, Object> row : rows) {
							ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic,
									(String) row.get("event_key"), (byte[]) row.get("payload"));
							if (headers) {
								addStarterHeaders(record, (Long) row.get("id"));
							}
							acks.add(producer.send(record));
						}
						awaitAcks(acks);
						if (!rows.isEmpty()) {
							jdbc.update("DELETE FROM raw_outbox WHERE id <= ?", rows.get(rows.size() - 1).get("id"));
						}
						return rows.size();
					});
					read = (count != null) ? count : 0;
				}
				while (read > 0);
				return System.nanoTime() - start;
			}
		}
	}

	/**
	 * Wait for every acknowledgement of a batch, from a loop that cannot throw checked
	 * exceptions.
	 */
	private static void awaitAcks(List<Future<?>> acks) {
		try {
			for (Future<?> ack : acks) {
				ack.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void addStarterHeaders(ProducerRecord<String, byte[]> record, long id) {
		record.headers()
			.add(KafkaOutboxSender.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8))
			.add(KafkaOutboxSender.ID,
					String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", id).getBytes(StandardCharsets.UTF_8))
			.add(KafkaOutboxSender.TYPE, "BenchEvent".getBytes(StandardCharsets.UTF_8))
			.add(KafkaOutboxSender.SOURCE, "/bench".getBytes(StandardCharsets.UTF_8))
			.add(KafkaOutboxSender.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8))
			.add(KafkaOutboxSender.SEQUENCE, Long.toString(id).getBytes(StandardCharsets.UTF_8))
			.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
	}

	private long relayDrain(int events, int batchSize) throws Exception {
		return relayDrain(events, batchSize, 2);
	}

	private long relayDrain(int events, int batchSize, int concurrency) throws Exception {
		try (BenchDatabase database = new BenchDatabase(jdbc())) {
			OutboxStore store = database.outbox();
			String topic = topic("drain");
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(database.dataSource()));
			// the lane rows exist in a running system: create them before the backlog is
			// written
			OutboxRelay previous = relay(database, store, batchSize, concurrency, new OutboxRelayListener() {
			});
			previous.start();
			previous.stop();
			for (int from = 0; from < events; from += 1000) {
				int first = from;
				transactions.executeWithoutResult((status) -> {
					List<OutboxMessage> messages = new ArrayList<>(1000);
					for (int i = first; i < Math.min(events, first + 1000); i++) {
						messages.add(message(topic, i));
					}
					store.insert(messages);
				});
			}
			AtomicLong delivered = new AtomicLong();
			OutboxRelay relay = relay(database, store, batchSize, concurrency, new OutboxRelayListener() {

				@Override
				public void delivered(OutboxRecord record, Instant acknowledgedAt) {
					delivered.incrementAndGet();
				}

			});
			long start = System.nanoTime();
			relay.start();
			try {
				// counted, not read from the table: counting a large table would slow the
				// relay down
				while (delivered.get() < events) {
					Thread.sleep(5);
				}
				return System.nanoTime() - start;
			}
			finally {
				relay.stop();
			}
		}
	}

	/**
	 * Send → ack latency of the Kafka producer alone at a steady rate, one record at a
	 * time from the same writer threads, with the raw loop's producer (acks=all,
	 * idempotence, no linger, no compression): the floor of any relay's commit → ack
	 * latency on this machine and broker.
	 */
	private void steadyProducer(int seconds, int rate) throws Exception {
		String topic = topic("steady-producer");
		ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
		try (KafkaProducer<String, byte[]> producer = producer()) {
			LongConsumer send = (n) -> {
				long sent = System.nanoTime();
				producer.send(new ProducerRecord<>(topic, "key-" + (n % KEYS), PAYLOAD), (metadata, error) -> {
					if (error == null) {
						latencies.add(System.nanoTime() - sent);
					}
				});
			};
			steadyRow(seconds, rate, send, latencies, "latency-producer",
					(achieved) -> "Kafka producer alone, steady " + rate + "/s for " + seconds
							+ " s, send → ack (the floor of commit → ack; achieved " + achieved + "/s)");
		}
	}

	/**
	 * Commit → ack latency at a steady rate of the simplest correct loop: writers insert
	 * one row per transaction into a plain table, one thread selects up to 2,000 rows,
	 * sends them, awaits the acks and deletes them by id, and looks again after 1 ms when
	 * it found none. The yardstick of the relay's steady latency on this machine, with
	 * the database working as it does under the relay.
	 */
	private Row steadyRaw(int seconds, int rate) throws Exception {
		try (BenchDatabase database = new BenchDatabase(jdbc())) {
			JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
			jdbc.execute("CREATE TABLE raw_outbox (id BIGSERIAL PRIMARY KEY, event_key VARCHAR(255), payload BYTEA, "
					+ "created_micros BIGINT)");
			String topic = topic("steady-raw");
			ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(database.dataSource()));
			AtomicBoolean running = new AtomicBoolean(true);
			Thread loop = new Thread(() -> {
				try (KafkaProducer<String, byte[]> producer = producer()) {
					while (running.get()) {
						Integer count = transactions.execute((status) -> rawBatch(jdbc, producer, topic, latencies));
						if (count == null || count == 0) {
							Thread.sleep(1);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "raw-loop");
			loop.start();
			try {
				LongConsumer insert = (n) -> transactions.executeWithoutResult((status) -> jdbc.update(
						"INSERT INTO raw_outbox (event_key, payload, created_micros) VALUES (?, ?, ?)",
						"key-" + (n % KEYS), PAYLOAD, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())));
				return steadyRow(seconds, rate, insert, latencies, "latency-raw",
						(achieved) -> "raw loop (select ≤ 2,000 → send → await → delete, 1 ms poll), steady " + rate
								+ "/s for " + seconds + " s (achieved " + achieved + "/s)");
			}
			finally {
				running.set(false);
				loop.join();
			}
		}
	}

	private static int rawBatch(JdbcTemplate jdbc, KafkaProducer<String, byte[]> producer, String topic,
			Collection<Long> latencies) {
		List<Map<String, Object>> rows = jdbc
			.queryForList("SELECT id, event_key, payload, created_micros FROM raw_outbox ORDER BY id LIMIT 2000");
		List<Future<?>> acks = new ArrayList<>(rows.size());
		for (Map<String, Object> row : rows) {
			acks.add(producer
				.send(new ProducerRecord<>(topic, (String) row.get("event_key"), (byte[]) row.get("payload"))));
		}
		awaitAcks(acks);
		long acknowledged = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		rows.forEach((row) -> latencies
			.add(TimeUnit.MICROSECONDS.toNanos(acknowledged - ((Number) row.get("created_micros")).longValue())));
		if (!rows.isEmpty()) {
			// by id: a row of a lower id may commit after a row of a higher one
			Long[] ids = rows.stream().map((row) -> (Long) row.get("id")).toArray(Long[]::new);
			jdbc.update("DELETE FROM raw_outbox WHERE id = ANY (?)",
					(ps) -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids)));
		}
		return rows.size();
	}

	/**
	 * Commit → ack latency at a steady rate. Across instances, the writer has no relay:
	 * the relay of another instance owns every lane and is woken by PostgreSQL
	 * {@code LISTEN/NOTIFY} (or, without it, by its poll every second and the follow-up
	 * runs after a run that relayed events).
	 */
	private void steadyLatency(int seconds, int rate, Instances instances) throws Exception {
		steadyLatency(seconds, rate, instances, 2, LINGER, KafkaOutboxSender.RELAY_LINGER_MS);
	}

	private Row steadyLatency(int seconds, int rate, Instances instances, int concurrency, Duration linger,
			int producerLingerMs) throws Exception {
		try (BenchDatabase database = new BenchDatabase(jdbc())) {
			OutboxStore store = database.outbox();
			String topic = topic("steady");
			ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
			OutboxRelay relay = relay(database, store, 500, concurrency, linger, producerLingerMs,
					new OutboxRelayListener() {

						@Override
						public void delivered(OutboxRecord record, Instant acknowledgedAt) {
							latencies.add(Duration.between(record.createdAt(), acknowledgedAt).toNanos());
						}

					});
			OutboxCapture capture = capture(database, store, (instances == Instances.ONE) ? relay : null);
			PostgresRelayWakeUp wakeUp = new PostgresRelayWakeUp(database.dataSource(), store.getTables().events(),
					() -> relay.committed(List.of()), instances == Instances.TWO_NOTIFIED);
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(database.dataSource()));
			relay.start();
			wakeUp.start();
			try {
				LongConsumer publish = (n) -> transactions
					.executeWithoutResult((status) -> capture.publish(topic, "key-" + (n % KEYS), PAYLOAD, Map.of()));
				return steadyRow(seconds, rate, publish, latencies,
						"latency-" + instances.name().toLowerCase(Locale.ROOT),
						(achieved) -> "outbox relay, steady " + rate + "/s for " + seconds + " s, "
								+ instances.description + " (achieved " + achieved + "/s)");
			}
			finally {
				wakeUp.stop();
				relay.stop();
			}
		}
	}

	/**
	 * Run the given action at the given rate, first for a warm-up that is not measured
	 * (so that neither a relay taking its lanes at start nor the JIT compiler counts),
	 * then for the given seconds, and record the percentiles of the latencies it adds.
	 * @param name the row's name, given the rate achieved
	 */
	private Row steadyRow(int seconds, int rate, LongConsumer action, Collection<Long> latencies, String id,
			LongFunction<String> name) throws Exception {
		long warmUp = (long) Pacing.WARM_UP_SECONDS * rate;
		Pacing.atRate(rate, warmUp, action);
		awaitSize(latencies, warmUp);
		latencies.clear();
		long total = (long) seconds * rate;
		long achieved = Pacing.atRate(rate, total, action);
		awaitSize(latencies, total);
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		Row row = new Row(name.apply(achieved), "latency", 0, sorted.length, Pacing.percentile(sorted, 0.50),
				Pacing.percentile(sorted, 0.99), (sorted.length > 0) ? sorted[sorted.length - 1] : 0);
		row.id = id;
		this.rows.add(row);
		System.out.println(row.text());
		return row;
	}

	/**
	 * Wait until the given queue holds the given number of elements, at most 30 seconds.
	 */
	private static void awaitSize(Collection<?> queue, long size) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (queue.size() < size && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
	}

	/**
	 * A business transaction inserting one row, alone, with one or five outbox events,
	 * and with a second plain row of the event's size instead (the floor of any outbox
	 * that writes a row in the business transaction). The capture alone: no relay runs
	 * and nobody is notified after commit (the Boot app's capture cost includes both).
	 * Rounds alternate the cases; the median round of each case is kept, the first round
	 * is warm-up.
	 */
	private void captureOverhead(int transactionsPerCase) throws Exception {
		final int plainRow = -1;
		// the event's row as the store writes it, with its key's sequence, without the
		// capture around it: what the database costs, apart from the library's code
		final int storeOnly = -2;
		int rounds = 7;
		try (BenchDatabase database = new BenchDatabase(jdbc())) {
			OutboxStore store = database.outbox();
			JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
			jdbc.execute("CREATE TABLE business (id VARCHAR(36) PRIMARY KEY, amount INT)");
			jdbc.execute("CREATE TABLE plain_row (id BIGSERIAL PRIMARY KEY, event_key VARCHAR(255), payload BYTEA)");
			OutboxCapture capture = new OutboxCapture(store, database.dataSource(), (event) -> (byte[]) event,
					new OutboxEventDescriptors(new StandardEnvironment()), OutsideTransaction.FAIL, (messages) -> {
					}, Clock.systemUTC());
			TransactionTemplate transactions = new TransactionTemplate(
					new DataSourceTransactionManager(database.dataSource()));
			int[] cases = { 0, 1, 5, plainRow, storeOnly };
			Map<Integer, double[]> millis = new LinkedHashMap<>();
			for (int events : cases) {
				millis.put(events, new double[rounds - 1]);
			}
			for (int round = 0; round < rounds; round++) {
				for (int events : cases) {
					long start = System.nanoTime();
					for (int i = 0; i < transactionsPerCase; i++) {
						int n = i;
						transactions.executeWithoutResult((status) -> {
							jdbc.update("INSERT INTO business (id, amount) VALUES (?, ?)", UUID.randomUUID().toString(),
									n);
							if (events == plainRow) {
								jdbc.update("INSERT INTO plain_row (event_key, payload) VALUES (?, ?)",
										"key-" + (n % KEYS), PAYLOAD);
							}
							if (events == storeOnly) {
								store.insert(List.of(message("capture", n * 5)));
							}
							for (int e = 0; e < events; e++) {
								capture.publish("capture", "key-" + ((n * 5 + e) % KEYS), PAYLOAD, Map.of());
							}
						});
					}
					if (round > 0) {
						millis.get(events)[round - 1] = (System.nanoTime() - start) / 1e6 / transactionsPerCase;
					}
				}
			}
			Map<Integer, Double> median = new LinkedHashMap<>();
			millis.forEach((events, results) -> {
				Arrays.sort(results);
				median.put(events, results[results.length / 2]);
			});
			for (int events : new int[] { 1, 5, plainRow, storeOnly }) {
				String name = switch (events) {
					case plainRow -> "floor: a second plain row of 500 bytes instead of the outbox";
					case storeOnly -> "the event's row alone, as the store writes it with its key's sequence "
							+ "(no capture around it)";
					default -> "capture overhead, " + events + " event(s) per transaction";
				};
				Row row = new Row(name, "overhead", 0, transactionsPerCase, 0, 0, 0);
				row.ratio = median.get(events) / median.get(0);
				row.id = switch (events) {
					case plainRow -> "overhead-floor";
					case storeOnly -> "overhead-store";
					default -> "overhead-" + events;
				};
				row.detail = String.format(Locale.ROOT, "%.3f ms vs %.3f ms", median.get(events), median.get(0));
				this.rows.add(row);
				System.out.println(row.text());
			}
		}
	}

	/**
	 * What capture costs in a Boot app with defaults (relay running), one writer and
	 * eight: each figure is the time of a transaction against the bare one (a business
	 * row only).
	 */
	private void appCapture(int transactionsPerCase) throws Exception {
		Map<String, String> result = peer("outbox", "capture", "--transactions=" + transactionsPerCase);
		double bare = Double.parseDouble(result.get("bare"));
		double bare8 = Double.parseDouble(result.get("bare-8"));
		String[][] cases = { { "one", "1 event per transaction", "app-overhead-1" },
				{ "five", "5 events per transaction", "app-overhead-5" },
				{ "floor", "floor: a second plain row of the event's size instead", "app-overhead-floor" },
				{ "one-8-distinct", "8 writers, 1 event per transaction, keys of their own",
						"app-overhead-8-distinct" },
				{ "one-8-hot", "8 writers, 1 event per transaction, one hot key", "app-overhead-8-hot" } };
		for (String[] each : cases) {
			double millis = Double.parseDouble(result.get(each[0]));
			double base = each[0].endsWith("-8-distinct") || each[0].endsWith("-8-hot") ? bare8 : bare;
			appCaptureRow("Boot app, capture: " + each[1], each[2], millis, base, transactionsPerCase);
		}
		// PostgreSQL's NOTIFY after commits: an instance whose relay does not hold the
		// events' lanes (here: no relay at all) notifies the others, at most once per
		// linger; the instance above holds every lane and sends none
		Map<String, String> notifying = peer("outbox", "capture", "--transactions=" + transactionsPerCase,
				"--outbox.relay.enabled=false");
		Map<String, String> silent = peer("outbox", "capture", "--transactions=" + transactionsPerCase,
				"--outbox.relay.enabled=false", "--outbox.relay.notify=false");
		for (String[] each : new String[][] { { "one", "1 writer" },
				{ "one-8-distinct", "8 writers, keys of their own" }, { "one-8-hot", "8 writers, one hot key" } }) {
			String base = each[0].equals("one") ? "bare" : "bare-8";
			appCaptureRow("writer instance without relay, NOTIFY after commits (at most one per linger): " + each[1],
					"app-notify-" + each[0], Double.parseDouble(notifying.get(each[0])),
					Double.parseDouble(notifying.get(base)), transactionsPerCase);
			appCaptureRow("writer instance without relay, no NOTIFY (outbox.relay.notify=false): " + each[1],
					"app-silent-" + each[0], Double.parseDouble(silent.get(each[0])),
					Double.parseDouble(silent.get(base)), transactionsPerCase);
		}
	}

	private void appCaptureRow(String name, String id, double millis, double base, int transactions) {
		Row row = new Row(name, "app-overhead", 0, transactions, 0, 0, 0);
		row.ratio = millis / base;
		row.id = id;
		row.detail = String.format(Locale.ROOT, "%.3f ms vs %.3f ms per transaction", millis, base);
		this.rows.add(row);
		System.out.println(row.text());
	}

	// ---------------------------------------------------------------- helpers

	private OutboxRelay relay(BenchDatabase database, OutboxStore store, int batchSize, OutboxRelayListener listener) {
		return relay(database, store, batchSize, 2, listener);
	}

	private OutboxRelay relay(BenchDatabase database, OutboxStore store, int batchSize, int concurrency,
			OutboxRelayListener listener) {
		return relay(database, store, batchSize, concurrency, LINGER, KafkaOutboxSender.RELAY_LINGER_MS, listener);
	}

	/**
	 * A relay in process, its producer set up as the starter's except for the given
	 * {@code linger.ms}.
	 */
	private OutboxRelay relay(BenchDatabase database, OutboxStore store, int batchSize, int concurrency,
			Duration linger, int producerLingerMs, OutboxRelayListener listener) {
		Map<String, Object> config = producerConfig();
		// as the starter's producer
		config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		config.put(ProducerConfig.LINGER_MS_CONFIG, producerLingerMs);
		config.put(ProducerConfig.BATCH_SIZE_CONFIG, KafkaOutboxSender.RELAY_BATCH_SIZE);
		KafkaOutboxSender sender = new KafkaOutboxSender(
				new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer()), "bench");
		database.onClose(() -> {
			try {
				sender.destroy();
			}
			catch (Exception ex) {
				// closing
			}
		});
		return new OutboxRelay(store, new OutboxLanes(database.dataSource(), store.getTables(), store.getLanes()),
				database.dataSource(), sender,
				new OutboxRelay.Settings("bench", Duration.ofSeconds(1), batchSize, Duration.ofSeconds(60),
						Duration.ofSeconds(30), Duration.ofSeconds(10), 10,
						new RetryBackoff(Duration.ofSeconds(1), 2, Duration.ofMinutes(5), 0.2), concurrency)
					.withLinger(linger),
				Clock.systemUTC(), listener);
	}

	/**
	 * Capture as the auto-configuration sets it up: a commit wakes the relay of this
	 * process, if any, and notifies the other instances' relays after the commit unless
	 * the relay of this process holds the events' lanes.
	 */
	private static OutboxCapture capture(BenchDatabase database, OutboxStore store, OutboxRelay relay) {
		RelayNotifier notifier = new RelayNotifier(store, OutboxTaskSchedulers.platformThreads(), () -> relay, LINGER);
		database.onClose(notifier::destroy);
		return new OutboxCapture(store, database.dataSource(), (event) -> (byte[]) event,
				new OutboxEventDescriptors(new StandardEnvironment()), OutsideTransaction.FAIL, (messages) -> {
					if (relay != null) {
						relay.committed(messages);
					}
					notifier.committed(messages);
				}, Clock.systemUTC());
	}

	private static OutboxMessage message(String topic, int i) {
		return new OutboxMessage(UUID.randomUUID(), topic, "key-" + (i % KEYS), "BenchEvent", PAYLOAD, Map.of(),
				Instant.now());
	}

	/**
	 * A new topic of {@link #PARTITIONS} partitions, as many as the peers create, created
	 * before any clock starts.
	 */
	private String topic(String prefix) throws Exception {
		String topic = prefix + "-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
		}
		awaitWritable(topic);
		return topic;
	}

	/**
	 * Write one record to each partition of the given new topic, without idempotence. The
	 * broker can answer the first writes to a topic it has just created as if it were not
	 * the partitions' leader yet; an idempotent producer that retries them can then be
	 * refused with an out-of-order sequence until its delivery timeout, which once failed
	 * a whole benchmark run.
	 */
	private void awaitWritable(String topic) throws Exception {
		Map<String, Object> config = producerConfig();
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
		try (KafkaProducer<String, byte[]> probe = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			for (int partition = 0; partition < PARTITIONS; partition++) {
				probe.send(new ProducerRecord<>(topic, partition, "probe", new byte[0])).get(30, TimeUnit.SECONDS);
			}
		}
	}

	private KafkaProducer<String, byte[]> producer() {
		return new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
	}

	private Map<String, Object> producerConfig() {
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		// the raw loop's producer: each record is sent as soon as the producer can
		config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		return config;
	}

	private String jdbc() {
		String override = this.jdbcOverride;
		return (override != null) ? override : this.options.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/");
	}

	private static long median(long[] results) {
		long[] sorted = results.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static long median(int runs, ThrowingLongSupplier run) throws Exception {
		long[] results = new long[runs];
		for (int i = 0; i < runs; i++) {
			results[i] = run.getAsLong();
		}
		return median(results);
	}

	private Row record(String name, String kind, long nanos, int events) {
		Row row = new Row(name, kind, nanos, events, 0, 0, 0);
		this.rows.add(row);
		System.out.println(row.text());
		return row;
	}

	/**
	 * The peers named by {@code --peers}, all by default.
	 */
	private List<String> selectedPeers() {
		String selected = this.options.get("peers");
		if (selected == null) {
			return List.copyOf(PEERS.keySet());
		}
		List<String> peers = Arrays.asList(selected.split(","));
		peers.forEach((peer) -> Assert.isTrue(PEERS.containsKey(peer),
				() -> "Unknown peer '" + peer + "' in --peers, expected some of " + PEERS.keySet()));
		return peers;
	}

	private static Map<String, String> peers() {
		Map<String, String> peers = new LinkedHashMap<>();
		peers.put("outbox", "outbox starter (Boot app, defaults)");
		peers.put("modulith", "Spring Modulith 2.0.3 (JDBC registry, Kafka externalization)");
		peers.put("namastack", "namastack-outbox 1.6.0 (KafkaTemplate handler, tuning guide)");
		return peers;
	}

	private static byte[] payload() {
		String json = "{\"orderId\":\"%s\",\"customer\":\"%s\",\"amount\":%s,\"note\":\"%s\"}";
		String value = json.formatted(UUID.randomUUID(), "customer-0001", "123.45", "x".repeat(380));
		return Arrays.copyOf(value.getBytes(StandardCharsets.UTF_8), 500);
	}

	/**
	 * Merge this run's rows into the results file (the rows of the scenarios that did not
	 * run are kept, so that {@code --only} never erases a section), then write the
	 * Markdown and the chart from all of them.
	 */
	private void report(int events, int runs) throws IOException {
		Path docs = Path.of(this.options.getOrDefault("docs", "docs"));
		Files.createDirectories(docs);
		Path results = docs.resolve("benchmarks.tsv");
		List<Row> merged = new ArrayList<>();
		if (Files.exists(results)) {
			Files.readAllLines(results, StandardCharsets.UTF_8)
				.stream()
				.skip(1)
				.map(Row::parse)
				.filter((row) -> !selected(row.scenario))
				.forEach(merged::add);
		}
		merged.addAll(this.rows);
		merged.sort(java.util.Comparator.comparingInt((row) -> SCENARIOS.indexOf(row.scenario)));
		List<String> lines = new ArrayList<>();
		lines.add(Row.HEADER);
		merged.forEach((row) -> lines.add(row.format()));
		Files.write(results, lines, StandardCharsets.UTF_8);
		Files.writeString(docs.resolve("benchmarks.svg"), Report.svg(merged), StandardCharsets.UTF_8);
		Files.writeString(docs.resolve("benchmarks.md"), Report.markdown(merged, events, runs), StandardCharsets.UTF_8);
		System.out.println("Wrote " + docs.resolve("benchmarks.md") + " and " + docs.resolve("benchmarks.svg"));
	}

	private enum Instances {

		ONE("one instance"),

		TWO_NOTIFIED("writer and lane owner are two instances, LISTEN/NOTIFY"),

		TWO_POLLING("writer and lane owner are two instances, no notification (poll every 1 s, then follow-ups)");

		private final String description;

		Instances(String description) {
			this.description = description;
		}

	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Exception;

	}

	@FunctionalInterface
	private interface ThrowingLongSupplier {

		long getAsLong() throws Exception;

	}

	/**
	 * One result line.
	 */
	static final class Row {

		final String name;

		final String kind;

		final long nanos;

		final long events;

		final long p50;

		final long p99;

		final long max;

		double ratio;

		String detail = "";

		String id = "";

		String scenario = "";

		String date = "";

		static final String HEADER = "scenario\tdate\tid\tkind\tname\tdetail\tnanos\tevents\tp50\tp99\tmax\tratio";

		Row(String name, String kind, long nanos, long events, long p50, long p99, long max) {
			this.name = name;
			this.kind = kind;
			this.nanos = nanos;
			this.events = events;
			this.p50 = p50;
			this.p99 = p99;
			this.max = max;
		}

		String format() {
			return String.join("\t", this.scenario, this.date, this.id, this.kind, this.name, this.detail,
					Long.toString(this.nanos), Long.toString(this.events), Long.toString(this.p50),
					Long.toString(this.p99), Long.toString(this.max), Double.toString(this.ratio));
		}

		static Row parse(String line) {
			String[] fields = line.split("\t", -1);
			Row row = new Row(fields[4], fields[3], Long.parseLong(fields[6]), Long.parseLong(fields[7]),
					Long.parseLong(fields[8]), Long.parseLong(fields[9]), Long.parseLong(fields[10]));
			row.scenario = fields[0];
			row.date = fields[1];
			row.id = fields[2];
			row.detail = fields[5];
			row.ratio = Double.parseDouble(fields[11]);
			return row;
		}

		double eventsPerSecond() {
			return (this.nanos > 0) ? this.events * 1e9 / this.nanos : 0;
		}

		String text() {
			return switch (this.kind) {
				case "drain", "peer-drain", "scaling" ->
					String.format(Locale.ROOT, "%-48s %,10.0f events/s  (%,d events in %.2f s)", this.name,
							eventsPerSecond(), this.events, this.nanos / 1e9);
				case "latency", "peer-latency" ->
					String.format(Locale.ROOT, "%-48s p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%,d events)", this.name,
							this.p50 / 1e6, this.p99 / 1e6, this.max / 1e6, this.events);
				default -> String.format(Locale.ROOT, "%-48s %.2fx  (%s)", this.name, this.ratio, this.detail);
			};
		}

	}

	/**
	 * A PostgreSQL database of its own, dropped on close.
	 */
	private static final class BenchDatabase implements AutoCloseable {

		private final String server;

		private final String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

		private final HikariDataSource dataSource;

		private final List<Runnable> onClose = new ArrayList<>();

		BenchDatabase(String server) throws Exception {
			this.server = server;
			execute("CREATE DATABASE " + this.name);
			this.dataSource = new HikariDataSource();
			this.dataSource.setJdbcUrl(server + this.name);
			this.dataSource.setUsername("postgres");
			this.dataSource.setPassword("");
			// the steady load's writers, the relay's workers, its lease renewal, the
			// notifier and the listener, each with a connection of its own
			this.dataSource.setMaximumPoolSize(Pacing.WRITERS + 8);
		}

		DataSource dataSource() {
			return this.dataSource;
		}

		String url() {
			return this.server + this.name;
		}

		OutboxStore outbox() throws Exception {
			OutboxTables tables = OutboxTables.of("outbox_event");
			new OutboxSchemaInitializer(this.dataSource, tables, new DefaultResourceLoader()).afterPropertiesSet();
			OutboxStore store = new OutboxStore(this.dataSource, OutboxDialect.of(this.dataSource), tables,
					OutboxStore.Settings.lanes(64));
			return store;
		}

		void onClose(Runnable action) {
			this.onClose.add(action);
		}

		private void execute(String sql) throws Exception {
			try (Connection connection = DriverManager.getConnection(this.server + "postgres", "postgres", "");
					Statement statement = connection.createStatement()) {
				statement.execute(sql);
			}
		}

		@Override
		public void close() throws Exception {
			this.onClose.forEach(Runnable::run);
			this.dataSource.close();
			execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
		}

	}

}
