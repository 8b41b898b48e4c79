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

package io.github.outbox.benchmarks.peer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.outbox.benchmarks.Pacing;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One outbox library in a process of its own, started as a Spring Boot application with
 * the other libraries' auto-configuration excluded. Runs one scenario and prints
 * {@code RESULT} lines for {@code Benchmarks} to read.
 * <p>
 * Options: {@code --peer=outbox|modulith|namastack},
 * {@code --scenario=drain|steady|capture}, {@code --bootstrap-servers}, {@code --jdbc}
 * (URL of an empty database), {@code --events} (drain backlog), {@code --rate} and
 * {@code --seconds} (steady), and any {@code --outbox.*} setting of the starter.
 */
public final class PeerMain {

	/**
	 * Each library: its application, the package of its auto-configuration, its topic.
	 */
	private static final Map<String, Library> LIBRARIES = Map.of("outbox",
			new Library(OutboxPeer.class, "io.github.outbox.", OutboxPeer.TOPIC), "modulith",
			new Library(ModulithPeer.class, "org.springframework.modulith.", ModulithPeer.TOPIC), "namastack",
			new Library(NamastackPeer.class, "io.namastack.", NamastackPeer.TOPIC));

	/**
	 * Events of each warm-up backlog at most, unless {@code --warm-up} says otherwise:
	 * backlogs are drained until the JIT compiler is quiet during one (see
	 * {@link JitWarmUp}).
	 */
	private static final int WARM_UP = 20_000;

	private PeerMain() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		String peerName = options.get("peer");
		String bootstrapServers = options.get("bootstrap-servers");
		Library library = LIBRARIES.get(peerName);
		if (library == null) {
			throw new IllegalArgumentException(
					"Unknown peer '" + peerName + "', expected one of " + LIBRARIES.keySet());
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("spring.datasource.url", options.get("jdbc"));
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
		properties.put("spring.kafka.producer.acks", "all");
		properties.put("spring.kafka.producer.properties.enable.idempotence", "true");
		properties.put("spring.autoconfigure.exclude", otherLibraries(library));
		properties.putAll(settings(peerName));
		// the benchmark's variants of this starter's settings and the application's,
		// e.g. --outbox.relay.notify=false, --management.observations.enable.outbox=false
		options.forEach((name, value) -> {
			if (name.startsWith("outbox.") || name.startsWith("spring.") || name.startsWith("management.")) {
				properties.put(name, value);
			}
		});
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			Topic topic = Topic.create(admin, library.topic());
			ConfigurableApplicationContext context = new SpringApplicationBuilder(library.application())
				.web(WebApplicationType.NONE)
				.properties(properties)
				.run();
			Peer peer = context.getBean(Peer.class);
			switch (options.get("scenario")) {
				case "drain" -> drain(peer, topic, Integer.parseInt(options.get("events")),
						Integer.parseInt(options.getOrDefault("warm-up", Integer.toString(WARM_UP))));
				case "capture" -> System.out.println(CaptureCost.result(new CaptureCost(peer,
						context.getBean(TransactionTemplate.class), context.getBean(JdbcTemplate.class))
					.run(Integer.parseInt(options.getOrDefault("transactions", "2000")))));
				case "steady" -> steady(peer, topic, bootstrapServers, Integer.parseInt(options.get("rate")),
						Integer.parseInt(options.get("seconds")));
				default -> throw new IllegalArgumentException("Unknown scenario '" + options.get("scenario") + "'");
			}
			context.close();
		}
		System.exit(0);
	}

	/**
	 * Each library as its documentation recommends; this starter with its defaults.
	 */
	private static Map<String, Object> settings(String peer) {
		return switch (peer) {
			case "modulith" -> Map.of("spring.modulith.events.jdbc.schema-initialization.enabled", "true",
					// completed publications are deleted, as this starter deletes relayed
					// events
					"spring.modulith.events.completion-mode", "delete");
			case "namastack" -> {
				// the platform-thread profile of namastack's performance tuning guide
				Map<String, Object> settings = new LinkedHashMap<>();
				settings.put("spring.kafka.producer.value-serializer",
						"org.apache.kafka.common.serialization.ByteArraySerializer");
				settings.put("namastack.outbox.polling.batch-size", "1000");
				settings.put("namastack.outbox.polling.fixed.interval", "25ms");
				settings.put("namastack.outbox.processing.executor-core-pool-size", "16");
				settings.put("namastack.outbox.processing.executor-max-pool-size", "32");
				settings.put("namastack.outbox.processing.delete-completed-records", "true");
				settings.put("namastack.outbox.instance.heartbeat-interval", "1s");
				settings.put("namastack.outbox.instance.stale-instance-timeout", "10s");
				settings.put("namastack.outbox.instance.rebalance-interval", "1s");
				yield settings;
			}
			default -> Map.of();
		};
	}

	private static String otherLibraries(Library own) {
		List<String> excluded = new ArrayList<>();
		for (String candidate : ImportCandidates.load(AutoConfiguration.class, PeerMain.class.getClassLoader())) {
			boolean library = LIBRARIES.values().stream().anyMatch((each) -> candidate.startsWith(each.packageName()));
			if (library && !candidate.startsWith(own.packageName())) {
				excluded.add(candidate);
			}
		}
		return String.join(",", excluded);
	}

	private static void drain(Peer peer, Topic topic, int events, int warmUp) throws Exception {
		// warm-up: backlogs through the same code paths, not measured, until the JIT
		// compiler is quiet
		int warmUps = JitWarmUp.untilQuiet(() -> timeDrain(peer, topic, Math.min(events, warmUp)).quiet());
		Drain drain = timeDrain(peer, topic, events);
		long pending = awaitPending(peer);
		System.out.println("RESULT drain nanos=" + drain.nanos() + " events=" + events + " pending=" + pending
				+ " warm-ups=" + warmUps + " compile-ms=" + drain.compileMillis() + " cpu-nanos=" + drain.cpuNanos());
	}

	private static Drain timeDrain(Peer peer, Topic topic, int events) throws Exception {
		peer.pause();
		peer.backlog(events);
		long before = topic.endOffsets();
		long compiledBefore = JitWarmUp.compileMillis();
		long cpuBefore = processCpuNanos();
		long start = System.nanoTime();
		peer.resume();
		long deadline = start + TimeUnit.MINUTES.toNanos(20);
		while (topic.endOffsets() - before < events) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not drained after 20 minutes: " + peer.pending() + " pending");
			}
			Thread.sleep(10);
		}
		Drain drain = new Drain(System.nanoTime() - start, JitWarmUp.compileMillis() - compiledBefore,
				processCpuNanos() - cpuBefore);
		awaitPending(peer);
		return drain;
	}

	/**
	 * The CPU time this process has used, all its threads together: what a drain costs
	 * this process, whatever the other processes of the machine do meanwhile.
	 */
	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * A drain: its time, the JIT compiler's time and this process's CPU time meanwhile.
	 */
	private record Drain(long nanos, long compileMillis, long cpuNanos) {

		boolean quiet() {
			return JitWarmUp.quiet(this.nanos, this.compileMillis);
		}

	}

	private static void steady(Peer peer, Topic topic, String bootstrapServers, int rate, int seconds)
			throws Exception {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.assign(topic.partitions());
			consumer.seekToEnd(topic.partitions());
			topic.partitions().forEach(consumer::position);
			// warm-up: the same load for a few seconds, not measured
			steadyPhase(peer, consumer, rate, Math.min(seconds, Pacing.WARM_UP_SECONDS));
			long[] result = steadyPhase(peer, consumer, rate, seconds);
			long achieved = result[0];
			long[] sorted = Arrays.copyOfRange(result, 1, result.length);
			Arrays.sort(sorted);
			System.out.println("RESULT steady events=" + sorted.length + " achieved=" + achieved + " p50="
					+ Pacing.percentile(sorted, 0.50) + " p99=" + Pacing.percentile(sorted, 0.99) + " max="
					+ ((sorted.length > 0) ? sorted[sorted.length - 1] : 0) + " missing="
					+ ((long) rate * seconds - sorted.length));
		}
	}

	/**
	 * Publish at the given rate and read the events back from the topic.
	 * @return the rate achieved by the writer, then the latency of every event read back,
	 * in microseconds
	 */
	private static long[] steadyPhase(Peer peer, KafkaConsumer<String, byte[]> consumer, int rate, int seconds)
			throws Exception {
		long total = (long) rate * seconds;
		Map<String, Long> published = new ConcurrentHashMap<>();
		List<Long> latencies = new ArrayList<>();
		long[] achieved = new long[1];
		Thread writer = new Thread(() -> achieved[0] = write(peer, rate, total, published), "writer");
		long start = System.nanoTime();
		writer.start();
		long deadline = start + TimeUnit.SECONDS.toNanos(seconds + 60);
		while (latencies.size() < total && System.nanoTime() < deadline) {
			for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
				Long publishedAt = published.get(orderId(record.value()));
				if (publishedAt != null) {
					// the topic stamps each record with the broker's append time
					latencies.add(record.timestamp() * 1000 - publishedAt);
				}
			}
		}
		writer.join();
		long[] result = new long[latencies.size() + 1];
		result[0] = achieved[0];
		for (int i = 0; i < latencies.size(); i++) {
			result[i + 1] = latencies.get(i);
		}
		return result;
	}

	/**
	 * Publish one event per transaction at the given rate, remembering when each was
	 * published (microseconds of the wall clock, the broker's append time is wall clock
	 * too).
	 * @return the rate achieved
	 */
	private static long write(Peer peer, int rate, long total, Map<String, Long> published) {
		try {
			return Pacing.atRate(rate, total, (i) -> {
				BenchOrderPlaced event = BenchOrderPlaced.of(i);
				published.put(event.orderId(), ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
				peer.publish(List.of(event));
			});
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	private static String orderId(byte[] json) {
		String text = new String(json, StandardCharsets.UTF_8);
		int start = text.indexOf("\"orderId\":\"") + 11;
		return (start < 11) ? "" : text.substring(start, text.indexOf('"', start));
	}

	private static long awaitPending(Peer peer) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long pending = peer.pending();
		while (pending > 0 && System.nanoTime() < deadline) {
			Thread.sleep(50);
			pending = peer.pending();
		}
		return pending;
	}

	private record Library(Class<?> application, String packageName, String topic) {
	}

	/**
	 * A topic of three partitions whose records carry the broker's append time.
	 */
	private record Topic(Admin admin, List<TopicPartition> partitions) {

		static Topic create(Admin admin, String name) throws Exception {
			try {
				admin
					.createTopics(List.of(new NewTopic(name, 3, (short) 1)
						.configs(Map.of("message.timestamp.type", "LogAppendTime"))))
					.all()
					.get();
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
			List<TopicPartition> partitions = admin.describeTopics(List.of(name))
				.allTopicNames()
				.get()
				.get(name)
				.partitions()
				.stream()
				.map((info) -> new TopicPartition(name, info.partition()))
				.toList();
			return new Topic(admin, partitions);
		}

		long endOffsets() throws Exception {
			Map<TopicPartition, OffsetSpec> latest = this.partitions.stream()
				.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.latest()));
			return this.admin.listOffsets(latest)
				.all()
				.get()
				.values()
				.stream()
				.mapToLong((info) -> info.offset())
				.sum();
		}

	}

}
