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

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.outbox.observation.OutboxRelayObservationConvention;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.relay.OutboxRelayListener;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.relay.PostgresRelayWakeUp;
import io.github.outbox.relay.RetryBackoff;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.schema.OutboxScriptSchemaInitializer;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.task.OutboxTaskSchedulers;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link OutboxRelay} that relays pending outbox events to the
 * {@link OutboxSender}.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(after = { OutboxAutoConfiguration.class, OutboxKafkaAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = { "outbox.enabled", "outbox.relay.enabled" }, matchIfMissing = true)
@ConditionalOnProperty(name = "outbox.table-layout", havingValue = "relay", matchIfMissing = true)
@ConditionalOnBean({ OutboxStore.class, OutboxSender.class })
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxTaskSchedulersConfiguration.class)
public final class OutboxRelayAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxRelay outboxRelay(OutboxStore store, OutboxLanes lanes, DataSource dataSource, OutboxSender sender,
			OutboxProperties properties, ObjectProvider<OutboxSchemaInitializer> schemaInitializer,
			ObjectProvider<OutboxScriptSchemaInitializer> scriptSchemaInitializer,
			ObjectProvider<OutboxRelayListener> listeners, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<OutboxRelayObservationConvention> observationConvention, OutboxTaskSchedulers taskSchedulers,
			ListableBeanFactory beanFactory) {
		// the relay works on the outbox tables: make sure they exist first
		schemaInitializer.ifAvailable((initializer) -> {
		});
		scriptSchemaInitializer.ifAvailable((initializer) -> {
		});
		OutboxProperties.Relay relay = properties.getRelay();
		OutboxProperties.Relay.Retry retry = relay.getRetry();
		RetryBackoff backoff = new RetryBackoff(retry.getInitialDelay(), retry.getMultiplier(), retry.getMaxDelay(),
				retry.getJitter());
		OutboxRelay.Settings settings = new OutboxRelay.Settings(instanceId(relay), relay.getPollInterval(),
				relay.getBatchSize(), relay.getSendTimeout(), relay.getShutdownTimeout(), relay.getLeaseTime(),
				retry.getMaxAttempts(), backoff, relay.getConcurrency())
			.withLinger(relay.getLinger());
		OutboxRelay outboxRelay = new OutboxRelay(store, lanes, dataSource, sender, settings, Clock.systemUTC(),
				new CompositeRelayListener(SingletonSupplier.of(() -> listeners.orderedStream().toList())));
		if (RelayObservations.enabled(properties, beanFactory)) {
			observationRegistry.ifAvailable(outboxRelay::setObservationRegistry);
		}
		outboxRelay.setObservationConvention(observationConvention.getIfUnique());
		outboxRelay.setTaskSchedulers(taskSchedulers);
		return outboxRelay;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.postgresql.PGConnection")
	@ConditionalOnBooleanProperty(name = "outbox.relay.notify", matchIfMissing = true)
	static class PostgresWakeUpConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PostgresRelayWakeUp outboxRelayWakeUp(OutboxStore store, DataSource dataSource, OutboxRelay relay,
				OutboxTaskSchedulers taskSchedulers) {
			PostgresRelayWakeUp wakeUp = new PostgresRelayWakeUp(dataSource, store.getTables().events(),
					() -> relay.committed(List.of()), store.getDialect().canNotifyRelays());
			wakeUp.setTaskSchedulers(taskSchedulers);
			return wakeUp;
		}

	}

	/**
	 * Tells every listener bean, resolved at first use.
	 */
	private record CompositeRelayListener(
			SingletonSupplier<List<OutboxRelayListener>> listeners) implements OutboxRelayListener {

		@Override
		public void delivered(OutboxRecord record, Instant acknowledgedAt) {
			this.listeners.obtain().forEach((listener) -> listener.delivered(record, acknowledgedAt));
		}

		@Override
		public void failed(OutboxRecord record, Throwable error, boolean dead) {
			this.listeners.obtain().forEach((listener) -> listener.failed(record, error, dead));
		}

		@Override
		public void batchCompleted(int size, Duration duration) {
			this.listeners.obtain().forEach((listener) -> listener.batchCompleted(size, duration));
		}

	}

	private static String instanceId(OutboxProperties.Relay relay) {
		if (StringUtils.hasText(relay.getInstanceId())) {
			return relay.getInstanceId();
		}
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "outbox";
		}
		return host + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
