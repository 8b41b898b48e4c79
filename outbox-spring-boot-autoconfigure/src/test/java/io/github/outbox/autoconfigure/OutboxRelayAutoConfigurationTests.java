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

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.sender.OutboxSender;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxRelayAutoConfiguration}.
 */
class OutboxRelayAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class, OutboxAutoConfiguration.class, OutboxKafkaAutoConfiguration.class,
				OutboxRelayAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void whenStoreAndSenderArePresentThenRelayRuns() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(OutboxRelay.class);
			assertThat(context.getBean(OutboxRelay.class).isRunning()).isTrue();
		});
	}

	@Test
	void whenRelayIsDisabledThenNoRelayIsCreated() {
		this.contextRunner.withPropertyValues("outbox.relay.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRelay.class));
	}

	@Test
	void whenOutboxIsDisabledThenNoRelayIsCreated() {
		this.contextRunner.withPropertyValues("outbox.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRelay.class));
	}

	@Test
	void whenNoSenderIsAvailableThenNoRelayIsCreated() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxRelay.class));
	}

	@Test
	void whenUserDefinesSenderThenRelayUsesIt() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.withUserConfiguration(CustomSenderConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(OutboxRelay.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomSenderConfiguration {

		@Bean
		OutboxSender customSender() {
			return (record) -> CompletableFuture.completedFuture(null);
		}

	}

}
