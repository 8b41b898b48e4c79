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
package io.github.outbox.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.relay.OutboxSender;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link OutboxSender} that sends outbox events to Kafka. It
 * uses the connection settings of {@code spring.kafka.*} with a producer of its own whose
 * defaults make delivery safe, overridable with {@code outbox.kafka.producer.*}.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
@ConditionalOnBean(KafkaProperties.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
public final class OutboxKafkaAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(OutboxSender.class)
	KafkaOutboxSender outboxSender(KafkaProperties kafkaProperties, OutboxProperties properties,
			Environment environment, ObjectProvider<ObservationRegistry> observationRegistry) {
		Map<String, Object> producerProperties = producerProperties(kafkaProperties, properties);
		OutboxProducerGuarantees.check(producerProperties, properties);
		DefaultKafkaProducerFactory<String, byte[]> producerFactory = new DefaultKafkaProducerFactory<>(
				producerProperties, new StringSerializer(), new ByteArraySerializer());
		KafkaOutboxSender sender = new KafkaOutboxSender(producerFactory, source(properties, environment));
		observationRegistry.ifAvailable(sender::setObservationRegistry);
		return sender;
	}

	static Map<String, Object> producerProperties(KafkaProperties kafkaProperties, OutboxProperties properties) {
		Map<String, Object> producer = new HashMap<>(kafkaProperties.buildProducerProperties());
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
		producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
		producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		// the relay sends a whole batch at once and waits for it: lingering only delays it
		producer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		producer.putAll(properties.getKafka().getProducer());
		producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return producer;
	}

	private static String source(OutboxProperties properties, Environment environment) {
		if (StringUtils.hasText(properties.getSource())) {
			return properties.getSource();
		}
		return environment.getProperty("spring.application.name", "outbox");
	}

}
