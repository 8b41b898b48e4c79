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

import io.github.outbox.inbox.Inbox;
import io.github.outbox.micrometer.InboxMetrics;
import io.github.outbox.micrometer.OutboxMetrics;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.store.DebeziumOutboxWriter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the outbox's Micrometer meters, when a {@link MeterRegistry}
 * exists.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(
		after = { OutboxAutoConfiguration.class, OutboxRelayAutoConfiguration.class, InboxAutoConfiguration.class },
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class OutboxMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(Inbox.class)
	InboxMetrics inboxMetrics(MeterRegistry registry) {
		return new InboxMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(DebeziumOutboxWriter.class)
	OutboxMetrics debeziumOutboxMetrics(MeterRegistry registry) {
		// Debezium relays: only what the capture side sees is measured here
		OutboxMetrics metrics = new OutboxMetrics(null, () -> null);
		metrics.bindTo(registry);
		return metrics;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OutboxMonitor.class)
	OutboxMetrics outboxMetrics(OutboxMonitor monitor, ObjectProvider<OutboxRelay> relay, MeterRegistry registry) {
		OutboxMetrics metrics = new OutboxMetrics(monitor, () -> {
			OutboxRelay available = relay.getIfAvailable();
			return (available != null) ? available.getOwnedLanes() : null;
		});
		// bound here also for a registry without Spring Boot's metrics
		// auto-configuration,
		// whose MeterRegistryPostProcessor binds it a second time (then a no-op)
		metrics.bindTo(registry);
		return metrics;
	}

}
