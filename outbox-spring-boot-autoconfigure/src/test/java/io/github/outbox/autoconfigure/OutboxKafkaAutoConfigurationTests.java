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

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.relay.OutboxSender;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

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
				Map<String, Object> producer = producerProperties(context.getBean(KafkaProperties.class),
						context.getBean(OutboxProperties.class));
				assertThat(producer).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, java.util.List.of("broker-1:9092"))
					.containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "orders")
					.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
					.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
					.containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class)
					.containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
			});
	}

	@Test
	void outboxProducerPropertiesOverrideTheDefaults() {
		this.contextRunner.withPropertyValues("outbox.kafka.producer.linger.ms=20", "outbox.kafka.producer.acks=-1")
			.run((context) -> {
				Map<String, Object> producer = producerProperties(context.getBean(KafkaProperties.class),
						context.getBean(OutboxProperties.class));
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
	void whenProducerSettingsKeepTheGuaranteesThenStartupSucceeds() {
		this.contextRunner
			.withPropertyValues("outbox.kafka.producer.acks=-1", "outbox.kafka.producer.enable.idempotence=true",
					"outbox.kafka.producer.delivery.timeout.ms=100000", "outbox.relay.send-timeout=110s")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(KafkaOutboxSender.class));
	}

	private static Map<String, Object> producerProperties(KafkaProperties kafka, OutboxProperties outbox) {
		return OutboxKafkaAutoConfiguration.producerProperties(kafka, outbox);
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomSenderConfiguration {

		@Bean
		OutboxSender customSender() {
			return (record) -> CompletableFuture.completedFuture(null);
		}

	}

}
