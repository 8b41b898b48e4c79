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

package io.github.outbox.sample.debezium;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import io.github.outbox.testsupport.ThrowawayPostgres;

/**
 * A throwaway PostgreSQL cluster with {@code wal_level=logical}, for Debezium (see
 * {@link ThrowawayPostgres}: its own data directory and port, never the machine's shared
 * server), with what docs/cdc.md tells operators to set up for the connector.
 */
public final class LogicalReplicationPostgres implements AutoCloseable {

	private final ThrowawayPostgres postgres;

	private LogicalReplicationPostgres(ThrowawayPostgres postgres) {
		this.postgres = postgres;
	}

	/**
	 * Create and start a cluster; fails when no PostgreSQL binaries are found.
	 */
	public static LogicalReplicationPostgres start() {
		// The settings Debezium needs (wal_level, senders, slots) plus what makes a
		// throwaway cluster start and run fast; nothing here must be durable.
		return new LogicalReplicationPostgres(ThrowawayPostgres.start("wal_level = logical", "max_wal_senders = 10",
				"max_replication_slots = 10", "max_connections = 50", "fsync = off", "synchronous_commit = off",
				"full_page_writes = off", "shared_buffers = 32MB"));
	}

	public int port() {
		return this.postgres.port();
	}

	public String host() {
		return this.postgres.host();
	}

	/**
	 * How long {@link #start()} took, from looking up the binaries to a server accepting
	 * connections.
	 */
	public Duration startupTime() {
		return this.postgres.startupTime();
	}

	public String jdbcUrl(String database) {
		return this.postgres.jdbcUrl(database);
	}

	/**
	 * A connection to the given database as the {@code postgres} superuser.
	 */
	public Connection connect(String database) throws SQLException {
		return this.postgres.connect(database);
	}

	/**
	 * Count the rows of a table, as superuser.
	 */
	public long count(String database, String table) {
		return this.postgres.count(database, table);
	}

	/**
	 * Run statements one by one, in autocommit mode, as superuser.
	 */
	public void execute(String database, String... statements) {
		this.postgres.execute(database, statements);
	}

	/**
	 * Create the connector's role of docs/cdc.md: it may log in and replicate, nothing
	 * more yet.
	 */
	public void createConnectorRole() {
		execute("postgres", "CREATE ROLE outbox_replication WITH LOGIN REPLICATION PASSWORD 'secret'");
	}

	/**
	 * What docs/cdc.md tells operators to do once the starter's changelog created the
	 * outbox table: let the connector's role read it, publish it, and create the
	 * replication slot, so that the connector reads every insert committed from here on,
	 * however long it takes to start.
	 * @param database the application's database
	 * @param connectorResource the connector configuration on the classpath, in Kafka
	 * Connect REST API form
	 * @param slot the replication slot, dropped when the connector stops
	 * @return the connector configuration pointed at this server, database and slot
	 */
	public Map<String, String> publishOutboxTable(String database, String connectorResource, String slot) {
		Map<String, String> config = EmbeddedOutboxConnector.loadConfiguration(connectorResource);
		execute(database, "GRANT SELECT ON outbox_event TO outbox_replication",
				"CREATE PUBLICATION " + config.get("publication.name") + " FOR TABLE outbox_event",
				"SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
		config.put("database.hostname", host());
		config.put("database.port", Integer.toString(port()));
		config.put("database.dbname", database);
		config.put("slot.name", slot);
		config.put("slot.drop.on.stop", "true");
		return config;
	}

	/**
	 * Stop the server at once and delete its directory.
	 */
	@Override
	public void close() {
		this.postgres.close();
	}

}
