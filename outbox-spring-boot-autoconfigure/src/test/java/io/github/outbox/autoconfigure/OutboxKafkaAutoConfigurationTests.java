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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxKafkaAutoConfiguration}.
 */
class OutboxKafkaAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, OutboxKafkaAutoConfiguration.class));

	@Test
	void whenKafkaIsConfiguredThenSenderIsCreated() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(KafkaOutboxSender.class));
	}

	@Test
	void whenUserDefinesSenderThenKafkaSenderBacksOff() {
		this.contextRunner.withUserConfiguration(CustomSenderConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(OutboxSender.class)
				.doesNotHaveBean(KafkaOutboxSender.class));
	}

	@Test
	void whenSpringKafkaIsMissingThenNoSenderIsCreated() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxSender.class));
	}

	@Test
	void whenOutboxIsDisabledThenNoSenderIsCreated() {
		this.contextRunner.withPropertyValues("outbox.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxSender.class));
	}

	@Test
	void producerUsesSpringKafkaSettingsWithSafeDefaults() {
		this.contextRunner
			.withPropertyValues("spring.kafka.bootstrap-servers=broker-1:9092", "spring.kafka.producer.acks=1",
					"spring.kafka.producer.properties.enable.idempotence=false", "spring.kafka.client-id=orders")
			.run((context) -> {
				Map<String, Object> producer = producerProperties(context);
				assertThat(producer).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, List.of("broker-1:9092"))
					.containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "orders")
					.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
					.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
					.containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class)
					.containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
			});
	}

	@Test
	void producerCompressesWithLz4UnlessSpringKafkaSetsACompression() {
		this.contextRunner.run((context) -> assertThat(producerProperties(context))
			.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
		this.contextRunner.withPropertyValues("spring.kafka.producer.compression-type=zstd")
			.run((context) -> assertThat(producerProperties(context))
				.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"));
		this.contextRunner.withPropertyValues("spring.kafka.producer.properties.compression.type=none")
			.run((context) -> assertThat(producerProperties(context))
				.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
		this.contextRunner.withPropertyValues("outbox.kafka.producer.compression.type=none")
			.run((context) -> assertThat(producerProperties(context))
				.containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
	}

	@Test
	void producerLingersForTheRelaysFlushWithLargeBatchesUnlessSpringKafkaSetsABatchSize() {
		this.contextRunner.withPropertyValues("spring.kafka.producer.properties.linger.ms=100")
			.run((context) -> assertThat(producerProperties(context))
				.containsEntry(ProducerConfig.LINGER_MS_CONFIG, KafkaOutboxSender.RELAY_LINGER_MS)
				.containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, KafkaOutboxSender.RELAY_BATCH_SIZE));
		this.contextRunner.withPropertyValues("spring.kafka.producer.batch-size=32KB")
			.run((context) -> assertThat(producerProperties(context)).containsEntry(ProducerConfig.BATCH_SIZE_CONFIG,
					32768));
	}

	@Test
	void outboxProducerPropertiesOverrideTheDefaults() {
		this.contextRunner.withPropertyValues("outbox.kafka.producer.linger.ms=20", "outbox.kafka.producer.acks=-1")
			.run((context) -> {
				Map<String, Object> producer = producerProperties(context);
				assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
					.containsEntry(ProducerConfig.ACKS_CONFIG, "-1");
			});
	}

	@Test
	void whenOutboxProducerDisablesIdempotenceThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.kafka.producer.enable.idempotence=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.kafka.producer.enable.idempotence")
				.hasMessageContaining("'false'"));
	}

	@Test
	void whenOutboxProducerAcksIsNotAllThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.kafka.producer.acks=1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.kafka.producer.acks")
				.hasMessageContaining("'1'"));
	}

	@Test
	void whenSendTimeoutIsNotLongerThanTheDeliveryTimeoutThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.relay.send-timeout=30s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.relay.send-timeout")
				.hasMessageContaining("delivery.timeout.ms"));
	}

	@Test
	void whenDeliveryTimeoutIsRaisedAboveTheSendTimeoutThenStartupFailsNamingBothProperties() {
		this.contextRunner.withPropertyValues("outbox.kafka.producer.delivery.timeout.ms=120000")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.relay.send-timeout")
				.hasMessageContaining("outbox.kafka.producer.delivery.timeout.ms")
				.hasMessageContaining("120000"));
	}

	@Test
	void whenOutboxProducerIsMadeTransactionalThenStartupFails() {
		this.contextRunner.withPropertyValues("outbox.kafka.producer.transactional.id=tx-")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.kafka.producer.transactional.id")
				.hasMessageContaining("transactional"));
	}

	@Test
	void whenProducerSettingsKeepTheGuaranteesThenStartupSucceeds() {
		this.contextRunner
			.withPropertyValues("outbox.kafka.producer.acks=-1", "outbox.kafka.producer.enable.idempotence=true",
					"outbox.kafka.producer.delivery.timeout.ms=100000", "outbox.relay.send-timeout=110s")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(KafkaOutboxSender.class));
	}

	@Test
	void senderConnectsToTheBrokerOfTheKafkaConnectionDetails() throws Exception {
		String topic = TestKafka.uniqueTopic("connection-details");
		TestKafka.createTopics(topic);
		this.contextRunner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:1", "outbox.kafka.producer.max.block.ms=5000")
			.run((context) -> {
				KafkaOutboxSender sender = context.getBean(KafkaOutboxSender.class);
				sender.send(record(topic, "k-1")).get(30, TimeUnit.SECONDS);
				List<Received> received = TestKafka.consume(topic, (record) -> true, 1, Duration.ofSeconds(30),
						Duration.ZERO);
				assertThat(received).singleElement().satisfies((record) -> {
					assertThat(record.key()).isEqualTo("k-1");
					assertThat(record.value()).isEqualTo("{}");
				});
			});
	}

	@Test
	void producerFactoryCustomizersAreApplied() {
		this.contextRunner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
			assertThat(producerProperties(context)).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
			// the factory keeps a client id as the prefix of its producers' ids
			try (Producer<?, ?> producer = producerFactory(context).createProducer()) {
				assertThat(producer.metrics().keySet()).map((name) -> name.tags().get("client-id"))
					.anySatisfy((clientId) -> assertThat(clientId).startsWith("customized"));
			}
		});
	}

	@Test
	void sslBundleOfSpringKafkaReachesTheProducer() {
		SslBundle bundle = SslBundle.of(SslStoreBundle.NONE);
		this.contextRunner.withBean(SslBundles.class, () -> new DefaultSslBundleRegistry("kafka-client", bundle))
			.withPropertyValues("spring.kafka.ssl.bundle=kafka-client", "spring.kafka.security.protocol=SSL")
			.run((context) -> assertThat(producerProperties(context))
				.containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class)
				.containsEntry(SslBundle.class.getName(), bundle)
				.containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL"));
	}

	private static Map<String, Object> producerProperties(AssertableApplicationContext context) {
		return producerFactory(context).getConfigurationProperties();
	}

	private static ProducerFactory<?, ?> producerFactory(AssertableApplicationContext context) {
		KafkaTemplate<?, ?> template = (KafkaTemplate<?, ?>) ReflectionTestUtils
			.getField(context.getBean(KafkaOutboxSender.class), "kafkaTemplate");
		return template.getProducerFactory();
	}

	private static OutboxRecord record(String topic, String key) {
		return new OutboxRecord(1, UUID.randomUUID().toString(), 0, topic, key, 1L, "test.Event",
				"{}".getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now(), 0);
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsConfiguration {

		@Bean
		KafkaConnectionDetails kafkaConnectionDetails() {
			return () -> List.of(TestKafka.bootstrapServers());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		DefaultKafkaProducerFactoryCustomizer clientIdCustomizer() {
			return (factory) -> factory.updateConfigs(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "customized",
					ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomSenderConfiguration {

		@Bean
		OutboxSender customSender() {
			return (record) -> CompletableFuture.completedFuture(null);
		}

	}

}
