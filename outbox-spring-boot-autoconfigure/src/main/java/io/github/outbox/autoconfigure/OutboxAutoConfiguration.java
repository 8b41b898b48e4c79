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
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.outbox.DeadOutboxEvents;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.OutboxSerializer;
import io.github.outbox.capture.OutboxApplicationEventListener;
import io.github.outbox.capture.OutboxCapture;
import io.github.outbox.capture.CommitListeners;
import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.capture.OutboxEventDescriptors;
import io.github.outbox.capture.OutboxHeaderContributor;
import io.github.outbox.capture.OutboxWriteListener;
import io.github.outbox.jackson.JacksonOutboxSerializer;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.DeadEventPolicy;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.relay.RelayNotifier;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.schema.OutboxSchemaRuntimeHints;
import io.github.outbox.schema.OutboxScriptSchemaInitializer;
import io.github.outbox.store.DebeziumOutboxWriter;
import io.github.outbox.store.JdbcDeadOutboxEvents;
import io.github.outbox.store.OutboxDialect;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxTableLayout;
import io.github.outbox.store.OutboxTables;
import io.github.outbox.store.OutboxWriter;
import io.github.outbox.store.RetentionPurger;
import io.github.outbox.task.OutboxTaskSchedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the outbox's capture side: the store of the outbox tables, the
 * schema, the {@link OutboxPublisher} and the listener that records
 * {@link io.github.outbox.OutboxEvent @OutboxEvent} application events.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "outbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxTaskSchedulersConfiguration.class)
public final class OutboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxEventDescriptors outboxEventDescriptors(Environment environment) {
		return new OutboxEventDescriptors(environment);
	}

	@Bean
	@ConditionalOnMissingBean(OutboxPublisher.class)
	OutboxCapture outboxPublisher(OutboxWriter store, DataSource dataSource, OutboxSerializer serializer,
			OutboxEventDescriptors descriptors, OutboxProperties properties,
			ObjectProvider<OutboxCommitListener> commitListeners,
			ObjectProvider<OutboxHeaderContributor> headerContributors,
			ObjectProvider<OutboxWriteListener> writeListeners) {
		OutboxCapture capture = new OutboxCapture(store, dataSource, serializer, descriptors,
				properties.getCapture().getOutsideTransaction(), new CommitListeners(commitListeners),
				Clock.systemUTC());
		capture.setHeaderContributors(headerContributors.orderedStream().toList());
		SingletonSupplier<List<OutboxWriteListener>> written = SingletonSupplier
			.of(() -> writeListeners.orderedStream().toList());
		capture.setWriteListener((messages) -> written.obtain().forEach((listener) -> listener.written(messages)));
		return capture;
	}

	@Bean
	@ConditionalOnMissingBean
	OutboxApplicationEventListener outboxApplicationEventListener(OutboxPublisher publisher,
			OutboxEventDescriptors descriptors) {
		return new OutboxApplicationEventListener(publisher, descriptors);
	}

	/**
	 * The embedded relay's table layout ({@code outbox.table-layout=relay}, the default).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "outbox.table-layout", havingValue = "relay", matchIfMissing = true)
	static class RelayLayoutConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OutboxStore outboxStore(DataSource dataSource, OutboxProperties properties) {
			OutboxStore store = new OutboxStore(dataSource, OutboxDialect.of(dataSource),
					OutboxTables.of(properties.getTableName()),
					OutboxStore.Settings.lanes(properties.getLanes())
						.deadEventsBlockingTheirKey(properties.getRelay().getOnDead() == DeadEventPolicy.BLOCK)
						.keepingPublished(properties.getRetention().getPublished() != null));
			return store;
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "outbox.relay.notify", matchIfMissing = true)
		RelayNotifier outboxRelayNotifier(OutboxStore store, OutboxTaskSchedulers taskSchedulers,
				ObjectProvider<OutboxRelay> localRelay, OutboxProperties properties) {
			return new RelayNotifier(store, taskSchedulers, localRelay::getIfUnique, properties.getRelay().getLinger());
		}

		@Bean
		@ConditionalOnMissingBean
		OutboxMonitor outboxMonitor(OutboxStore store, OutboxProperties properties,
				OutboxTaskSchedulers taskSchedulers) {
			OutboxProperties.Retention retention = properties.getRetention();
			OutboxMonitor monitor = new OutboxMonitor(
					store, new OutboxMonitor.Settings(properties.getMonitor().getRefreshInterval(),
							retention.getPublished(), retention.getDead(), retention.getBatchSize()),
					Clock.systemUTC());
			monitor.setTaskSchedulers(taskSchedulers);
			return monitor;
		}

		@Bean
		@ConditionalOnMissingBean
		OutboxLanes outboxLanes(DataSource dataSource, OutboxStore store) {
			return new OutboxLanes(dataSource, store.getTables(), store.getLanes());
		}

		@Bean
		@ConditionalOnMissingBean(DeadOutboxEvents.class)
		JdbcDeadOutboxEvents deadOutboxEvents(DataSource dataSource, OutboxStore store,
				ObjectProvider<OutboxCommitListener> commitListeners) {
			return new JdbcDeadOutboxEvents(dataSource, store, new CommitListeners(commitListeners)::pendingAgain);
		}

	}

	/**
	 * The layout of Debezium's outbox event router
	 * ({@code outbox.table-layout=debezium}): no store, lanes, monitor or dead events,
	 * which belong to the embedded relay.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "outbox.table-layout", havingValue = "debezium")
	static class DebeziumLayoutConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DebeziumOutboxWriter outboxWriter(DataSource dataSource, OutboxProperties properties, Environment environment,
				ObjectProvider<OutboxSerializer> serializer) {
			DebeziumLayoutCheck.check(properties, environment);
			DebeziumOutboxWriter writer = new DebeziumOutboxWriter(dataSource, OutboxDialect.of(dataSource),
					OutboxTables.of(properties.getTableName()),
					properties.determineSource(environment.getProperty("spring.application.name")));
			OutboxSerializer outboxSerializer = serializer.getIfUnique();
			if (writer.isJsonPayload() && outboxSerializer != null) {
				DebeziumLayoutCheck.checkJsonPayload(outboxSerializer.contentType());
			}
			writer.setKeepRows(properties.getRetention().getPublished() != null);
			return writer;
		}

		@Bean
		@ConditionalOnMissingBean(name = "outboxPurger")
		@ConditionalOnProperty(name = "outbox.retention.published")
		RetentionPurger outboxPurger(DebeziumOutboxWriter writer, OutboxProperties properties,
				OutboxTaskSchedulers taskSchedulers) {
			OutboxProperties.Retention retention = properties.getRetention();
			Duration published = retention.getPublished();
			Assert.state(published != null, "'outbox.retention.published' must be set");
			RetentionPurger purger = new RetentionPurger("outbox", writer::purge, published,
					properties.getMonitor().getRefreshInterval(), retention.getBatchSize(), Clock.systemUTC());
			purger.setTaskSchedulers(taskSchedulers);
			return purger;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DatabaseInitializationDependencyConfigurer.class)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class DatabaseInitializationDependencyConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonSerializerConfiguration {

		@Bean
		@ConditionalOnMissingBean(OutboxSerializer.class)
		JacksonOutboxSerializer outboxSerializer(ObjectProvider<JsonMapper> jsonMapper) {
			return new JacksonOutboxSerializer(jsonMapper.getIfAvailable(JsonMapper::shared));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnSchemaInitializationCondition.class)
	static class SchemaConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "liquibase.integration.spring.SpringLiquibase")
		@ImportRuntimeHints(OutboxSchemaRuntimeHints.class)
		static class LiquibaseSchemaConfiguration {

			@Bean
			@ConditionalOnMissingBean
			OutboxSchemaInitializer outboxSchemaInitializer(DataSource dataSource, OutboxProperties properties,
					ResourceLoader resourceLoader) {
				String changelog = (properties.getTableLayout() == OutboxTableLayout.DEBEZIUM)
						? OutboxSchemaInitializer.DEBEZIUM_CHANGELOG : OutboxSchemaInitializer.CHANGELOG;
				OutboxSchemaInitializer initializer = new OutboxSchemaInitializer(dataSource,
						OutboxTables.of(properties.getTableName()), resourceLoader, changelog);
				initializer.setParameters(
						Map.of("outbox.keep-rows", Boolean.toString(properties.getRetention().getPublished() != null)));
				initializer.setMode(properties.getSchema().determineMode());
				return initializer;
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass("liquibase.integration.spring.SpringLiquibase")
		@ImportRuntimeHints(OutboxSchemaRuntimeHints.class)
		static class ScriptSchemaConfiguration {

			@Bean
			@ConditionalOnMissingBean
			OutboxScriptSchemaInitializer outboxScriptSchemaInitializer(DataSource dataSource,
					OutboxProperties properties, ResourceLoader resourceLoader) {
				OutboxScriptSchemaInitializer initializer = new OutboxScriptSchemaInitializer(dataSource,
						OutboxTables.of(properties.getTableName()), properties.getTableLayout(), resourceLoader);
				initializer.setKeepRows(properties.getRetention().getPublished() != null);
				initializer.setMode(properties.getSchema().determineMode());
				return initializer;
			}

		}

	}

}
