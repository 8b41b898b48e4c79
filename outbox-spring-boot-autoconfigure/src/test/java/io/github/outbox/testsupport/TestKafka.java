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

package io.github.outbox.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft) per test JVM, started on first use, and helpers to read
 * what reached it.
 */
public final class TestKafka {

	private static EmbeddedKafkaKraftBroker broker;

	private TestKafka() {
	}

	public static synchronized String bootstrapServers() {
		if (broker == null) {
			broker = new EmbeddedKafkaKraftBroker(1, 4);
			broker.brokerProperty("auto.create.topics.enable", "true");
			broker.brokerProperty("num.partitions", "4");
			broker.afterPropertiesSet();
			Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
		}
		return broker.getBrokersAsString();
	}

	public static String uniqueTopic(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public static synchronized void createTopics(String... topics) {
		bootstrapServers();
		broker.addTopics(topics);
	}

	/**
	 * Read records of the given topic from the beginning until {@code count} arrived or
	 * the timeout passed, and then for {@code quiet} more in case unexpected records
	 * follow.
	 */
	public static List<Received> consume(String topic, Predicate<Received> filter, int count, Duration timeout,
			Duration quiet) {
		return consume(bootstrapServers(), topic, filter, (received) -> received.size() >= count, timeout, quiet);
	}

	/**
	 * Read records of the given topic of the given broker from the beginning until the
	 * records read so far are complete or the timeout passed, and then for {@code quiet}
	 * more in case unexpected records follow.
	 */
	public static List<Received> consume(String bootstrapServers, String topic, Predicate<Received> filter,
			Predicate<List<Received>> complete, Duration timeout, Duration quiet) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		List<Received> received = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			long quietUntil = Long.MAX_VALUE;
			while (System.nanoTime() < Math.min(deadline, quietUntil)) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
					Received candidate = new Received(record.partition(), record.offset(), record.key(), record.value(),
							headers(record));
					if (filter.test(candidate)) {
						received.add(candidate);
					}
				}
				if (quietUntil == Long.MAX_VALUE && complete.test(received)) {
					quietUntil = System.nanoTime() + quiet.toNanos();
				}
			}
		}
		return received;
	}

	private static Map<String, String> headers(ConsumerRecord<String, String> record) {
		Map<String, String> headers = new HashMap<>();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		return headers;
	}

	public record Received(int partition, long offset, String key, String value, Map<String, String> headers) {

		public long sequence() {
			return Long.parseLong(this.headers.get("ce_sequence"));
		}

	}

}
