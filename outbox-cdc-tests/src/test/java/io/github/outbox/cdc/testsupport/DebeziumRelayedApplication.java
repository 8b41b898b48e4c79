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
package io.github.outbox.cdc.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.outbox.sample.debezium.EmbeddedOutboxConnector;
import io.github.outbox.sample.debezium.EmbeddedOutboxConnector.ConnectedRecord;
import io.github.outbox.sample.debezium.LogicalReplicationPostgres;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.Assert;

/**
 * An application context of the starter with {@code outbox.table-layout=debezium} on a
 * database of its own in a {@link LogicalReplicationPostgres}, and Debezium's embedded
 * engine reading that database with a connector configuration of docs/cdc.md. The
 * starter's changelog creates the table; the publication, the grant and the slot are then
 * created as docs/cdc.md tells operators to.
 */
public final class DebeziumRelayedApplication implements AutoCloseable {

	private static final AtomicInteger databases = new AtomicInteger();

	private final ConfigurableApplicationContext context;

	private final @Nullable EmbeddedOutboxConnector connector;

	private final String database;

	private DebeziumRelayedApplication(ConfigurableApplicationContext context,
			@Nullable EmbeddedOutboxConnector connector, String database) {
		this.context = context;
		this.connector = connector;
		this.database = database;
	}

	/**
	 * Create a database, start the application on it, then the connector.
	 * @param postgres the server
	 * @param connectorResource the connector configuration, one of docs/cdc.md, or
	 * {@code null} for the application alone
	 * @param offsets a directory for the engine's offsets
	 * @param application the application's configuration classes
	 * @param properties further properties of the application
	 * @return the running pair
	 */
	public static DebeziumRelayedApplication start(LogicalReplicationPostgres postgres,
			@Nullable String connectorResource, Path offsets, Class<?> application, String... properties) {
		String database = "outbox_app_" + databases.incrementAndGet();
		postgres.execute("postgres", "CREATE DATABASE " + database);
		return start(postgres, database, connectorResource, offsets, application, properties);
	}

	/**
	 * Start the application on an existing database, then the connector.
	 * @param postgres the server
	 * @param database the database
	 * @param connectorResource the connector configuration, one of docs/cdc.md, or
	 * {@code null} for the application alone
	 * @param offsets a directory for the engine's offsets
	 * @param application the application's configuration classes
	 * @param properties further properties of the application
	 * @return the running pair
	 */
	public static DebeziumRelayedApplication start(LogicalReplicationPostgres postgres, String database,
			@Nullable String connectorResource, Path offsets, Class<?> application, String... properties) {
		return start(postgres, database, connectorResource, offsets, (record) -> {
		}, Map.of(), application, properties);
	}

	/**
	 * Start the application on an existing database, then the connector, which hands each
	 * record to the given sink as it emits it.
	 * @param postgres the server
	 * @param database the database
	 * @param connectorResource the connector configuration, one of docs/cdc.md, or
	 * {@code null} for the application alone
	 * @param offsets a directory for the engine's offsets
	 * @param sink receives each record, for example a producer as Kafka Connect's worker
	 * @param connectorOverrides connector properties set over the configuration's
	 * @param application the application's configuration classes
	 * @param properties further properties of the application
	 * @return the running pair
	 */
	public static DebeziumRelayedApplication start(LogicalReplicationPostgres postgres, String database,
			@Nullable String connectorResource, Path offsets, Consumer<ConnectedRecord> sink,
			Map<String, String> connectorOverrides, Class<?> application, String... properties) {
		String slot = database + "_slot";
		List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + postgres.jdbcUrl(database),
				"spring.datasource.username=postgres", "spring.application.name=order-service",
				"outbox.table-layout=debezium", "management.tracing.sampling.probability=1.0"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		if (connectorResource == null) {
			return new DebeziumRelayedApplication(context, null, database);
		}
		try {
			Map<String, String> config = postgres.publishOutboxTable(database, connectorResource, slot);
			config.putAll(connectorOverrides);
			return new DebeziumRelayedApplication(context, EmbeddedOutboxConnector.start(config, offsets, sink),
					database);
		}
		catch (RuntimeException ex) {
			context.close();
			throw ex;
		}
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public EmbeddedOutboxConnector connector() {
		Assert.state(this.connector != null, "Started without a connector");
		return this.connector;
	}

	public String database() {
		return this.database;
	}

	@Override
	public void close() throws Exception {
		try {
			if (this.connector != null) {
				this.connector.close();
			}
		}
		finally {
			this.context.close();
		}
	}

}
