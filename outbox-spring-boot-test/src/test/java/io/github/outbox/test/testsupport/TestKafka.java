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
package io.github.outbox.test.testsupport;

import java.util.UUID;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft) per test JVM, started on first use. It does not create
 * topics on demand, so that an event for a topic nobody created fails the relay.
 */
public final class TestKafka {

	private static EmbeddedKafkaKraftBroker broker;

	private TestKafka() {
	}

	public static synchronized String bootstrapServers() {
		if (broker == null) {
			broker = new EmbeddedKafkaKraftBroker(1, 1);
			broker.brokerProperty("auto.create.topics.enable", "false");
			broker.afterPropertiesSet();
			Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
		}
		return broker.getBrokersAsString();
	}

	public static String uniqueTopic(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public static synchronized String createTopic(String prefix) {
		String topic = uniqueTopic(prefix);
		bootstrapServers();
		broker.addTopics(topic);
		return topic;
	}

}
