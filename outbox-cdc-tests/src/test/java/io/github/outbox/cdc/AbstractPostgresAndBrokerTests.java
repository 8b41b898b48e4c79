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

import java.util.Map;

import io.github.outbox.sample.debezium.LogicalReplicationPostgres;
import io.github.outbox.testsupport.KafkaBrokerProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tests on a PostgreSQL with {@code wal_level=logical} and the connector's role of
 * docs/cdc.md, and a real Kafka broker in a JVM of its own, both started once per class.
 */
abstract class AbstractPostgresAndBrokerTests {

	static LogicalReplicationPostgres postgres;

	static KafkaBrokerProcess broker;

	@BeforeAll
	static void startPostgresAndBroker() throws Exception {
		postgres = LogicalReplicationPostgres.start();
		postgres.createConnectorRole();
		broker = KafkaBrokerProcess.start();
	}

	/**
	 * A consumer of all partitions of the given topic, from their first record.
	 */
	static KafkaConsumer<String, String> consumerFromTheStart(String topic) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer());
		consumer.assign(consumer.partitionsFor(topic)
			.stream()
			.map((partition) -> new TopicPartition(topic, partition.partition()))
			.toList());
		return consumer;
	}

	@AfterAll
	static void stopPostgresAndBroker() throws InterruptedException {
		if (broker != null) {
			broker.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

}
