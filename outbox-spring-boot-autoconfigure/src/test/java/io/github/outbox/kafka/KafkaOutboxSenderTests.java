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

package io.github.outbox.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.testsupport.TestKafka;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link KafkaOutboxSender} against a real broker.
 */
class KafkaOutboxSenderTests {

	@Test
	void whenFlushedThenRecordsTheProducerHoldsBackForItsLingerAreSentAtOnce() throws Exception {
		String topic = TestKafka.uniqueTopic("flush");
		TestKafka.createTopics(topic);
		// a linger far longer than the test: only the flush sends the record
		KafkaOutboxSender sender = new KafkaOutboxSender(new DefaultKafkaProducerFactory<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
						ProducerConfig.LINGER_MS_CONFIG, 60_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
				new StringSerializer(), new ByteArraySerializer()), "test");
		try {
			// the producer's first send fetches the topic's metadata: out of the way
			// first
			send(sender, topic, "first");
			sender.flush();
			CompletableFuture<?> result = send(sender, topic, "second");
			await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> !result.isDone());
			sender.flush();
			assertThat(result).isCompleted();
			assertThat(TestKafka.consume(topic, (received) -> true, 2, Duration.ofSeconds(10), Duration.ZERO))
				.extracting(TestKafka.Received::key)
				.containsExactlyInAnyOrder("first", "second");
		}
		finally {
			sender.destroy();
		}
	}

	private static CompletableFuture<?> send(KafkaOutboxSender sender, String topic, String key) {
		return sender.send(new OutboxRecord(1, UUID.randomUUID().toString(), 0, topic, key, 1L, "test.Event",
				"{}".getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now(), 0));
	}

}
