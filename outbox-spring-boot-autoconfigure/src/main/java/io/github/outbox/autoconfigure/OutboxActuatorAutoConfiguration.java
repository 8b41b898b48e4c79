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

import java.time.Clock;

import io.github.outbox.DeadOutboxEvents;
import io.github.outbox.actuate.DebeziumOutboxEndpoint;
import io.github.outbox.actuate.DebeziumOutboxHealthIndicator;
import io.github.outbox.actuate.OutboxEndpoint;
import io.github.outbox.actuate.OutboxHealthIndicator;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.store.DebeziumOutboxWriter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code outbox} actuator endpoint and health indicator, when
 * Spring Boot Actuator is present.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(after = { OutboxAutoConfiguration.class, OutboxRelayAutoConfiguration.class })
@EnableConfigurationProperties(OutboxProperties.class)
public final class OutboxActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(OutboxEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ OutboxMonitor.class, DeadOutboxEvents.class })
		OutboxEndpoint outboxEndpoint(OutboxMonitor monitor, DeadOutboxEvents deadEvents,
				ObjectProvider<OutboxRelay> relay) {
			return new OutboxEndpoint(monitor, deadEvents, relay.getIfAvailable(), Clock.systemUTC());
		}

		@Bean
		@ConditionalOnMissingBean({ OutboxEndpoint.class, DebeziumOutboxEndpoint.class })
		@ConditionalOnBean(DebeziumOutboxWriter.class)
		DebeziumOutboxEndpoint debeziumOutboxEndpoint(DebeziumOutboxWriter writer) {
			return new DebeziumOutboxEndpoint(writer.getTables().events());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("outbox")
	@EnableConfigurationProperties(OutboxHealthProperties.class)
	static class HealthConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(OutboxMonitor.class)
		static class RelayHealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "outboxHealthIndicator")
			@SuppressWarnings("removal")
			OutboxHealthIndicator outboxHealthIndicator(OutboxMonitor monitor, ObjectProvider<OutboxRelay> relay,
					OutboxHealthProperties healthProperties, OutboxProperties properties) {
				OutboxProperties.Health deprecated = properties.getHealth();
				return new OutboxHealthIndicator(monitor, relay.getIfAvailable(),
						healthProperties.determineMaxOldestAge(deprecated.getMaxOldestAge()),
						healthProperties.determineMaxDead(deprecated.getMaxDead()), Clock.systemUTC());
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnBean(DebeziumOutboxWriter.class)
		static class DebeziumHealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "outboxHealthIndicator")
			DebeziumOutboxHealthIndicator outboxHealthIndicator(DebeziumOutboxWriter writer) {
				return new DebeziumOutboxHealthIndicator(writer.getTables().events());
			}

		}

	}

}
