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
import io.github.outbox.sender.OutboxSender;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link OutboxSender} that sends outbox events to Kafka. It
 * connects like Spring Boot's own producer ({@code spring.kafka.*},
 * {@link KafkaConnectionDetails}, SSL bundles,
 * {@link DefaultKafkaProducerFactoryCustomizer} beans) with a producer of its own whose
 * defaults make delivery safe, overridable with {@code outbox.kafka.producer.*} as long
 * as the guarantees hold.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
@ConditionalOnBean(KafkaProperties.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "outbox.table-layout", havingValue = "relay", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
public final class OutboxKafkaAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(OutboxSender.class)
	KafkaOutboxSender outboxSender(KafkaProperties kafkaProperties,
			ObjectProvider<KafkaConnectionDetails> connectionDetails,
			ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers, OutboxProperties properties,
			Environment environment, ObjectProvider<ObservationRegistry> observationRegistry,
			ListableBeanFactory beanFactory) {
		DefaultKafkaProducerFactory<String, byte[]> producerFactory = new DefaultKafkaProducerFactory<>(
				producerProperties(kafkaProperties, connectionDetails.getIfAvailable(), properties));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(producerFactory));
		// the payload is serialized at publish time: a customizer's serializers are meant
		// for other templates
		producerFactory.setKeySerializer(new StringSerializer());
		producerFactory.setValueSerializer(new ByteArraySerializer());
		if (producerFactory.getTransactionIdPrefix() != null) {
			throw new IllegalStateException("A DefaultKafkaProducerFactoryCustomizer or 'outbox.kafka.producer."
					+ ProducerConfig.TRANSACTIONAL_ID_CONFIG + "' made the outbox relay's producer transactional: "
					+ "the relay sends outside Kafka transactions. Define an OutboxSender bean to use a producer of "
					+ "your own");
		}
		OutboxProducerGuarantees.check(producerFactory.getConfigurationProperties(), properties);
		KafkaOutboxSender sender = new KafkaOutboxSender(producerFactory,
				properties.determineSource(environment.getProperty("spring.application.name")));
		if (RelayObservations.enabled(properties, beanFactory)) {
			observationRegistry.ifAvailable(sender::setObservationRegistry);
		}
		return sender;
	}

	/**
	 * Build the producer properties the way Spring Boot's {@code KafkaAutoConfiguration}
	 * does for its own producer factory ({@code spring.kafka.*}, then the producer's
	 * bootstrap servers, security protocol and SSL bundle of the connection details),
	 * then the outbox's safe defaults, then {@code outbox.kafka.producer.*}. The
	 * compression is LZ4 unless {@code spring.kafka.*} sets one.
	 */
	private static Map<String, Object> producerProperties(KafkaProperties kafkaProperties,
			@Nullable KafkaConnectionDetails connectionDetails, OutboxProperties properties) {
		Map<String, Object> producer = new HashMap<>(kafkaProperties.buildProducerProperties());
		if (connectionDetails != null) {
			applyConnectionDetails(producer, connectionDetails.getProducer());
		}
		// the relay sends whole batches: compressed, they cost the broker and the
		// network less; a compression 'spring.kafka.producer.compression-type' chose
		// stays
		producer.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		producer.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
		producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
		producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		// the relay hands a whole batch to the producer, then flushes it and awaits it:
		// lingering gathers the batch's records into fewer, larger requests, and the
		// flush sends the last ones without waiting for the linger
		producer.put(ProducerConfig.LINGER_MS_CONFIG, KafkaOutboxSender.RELAY_LINGER_MS);
		producer.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, KafkaOutboxSender.RELAY_BATCH_SIZE);
		producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		producer.putAll(properties.getKafka().getProducer());
		producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return producer;
	}

	private static void applyConnectionDetails(Map<String, Object> producer,
			KafkaConnectionDetails.Configuration connection) {
		producer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getBootstrapServers());
		if (StringUtils.hasLength(connection.getSecurityProtocol())) {
			producer.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, connection.getSecurityProtocol());
		}
		SslBundle sslBundle = connection.getSslBundle();
		if (sslBundle != null) {
			producer.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
			producer.put(SslBundle.class.getName(), sslBundle);
		}
	}

}
