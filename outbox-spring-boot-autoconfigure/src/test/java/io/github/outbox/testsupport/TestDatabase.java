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

package io.github.outbox.testsupport;

import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.Assert;

/**
 * A fresh, empty database for one test class. PostgreSQL and MariaDB come from
 * Testcontainers when a Docker engine is present, otherwise from the services on this
 * machine (127.0.0.1:5432 and 127.0.0.1:3306, overridable with OUTBOX_TEST_POSTGRES_URL
 * and OUTBOX_TEST_MARIADB_URL). An unreachable database fails the test: it is never
 * skipped.
 */
public final class TestDatabase implements AutoCloseable {

	private static final Pattern ADDRESS = Pattern.compile("//([^:/]+):(\\d+)/");

	private static PostgreSQLContainer postgresContainer;

	private static MariaDBContainer mariaDbContainer;

	private final Kind kind;

	private final String name;

	private final String server;

	private final String url;

	private final String username;

	private final String password;

	private TestDatabase(Kind kind, String name, String server, String url, String username, String password) {
		this.kind = kind;
		this.name = name;
		this.server = server;
		this.url = url;
		this.username = username;
		this.password = password;
	}

	public static TestDatabase create(Kind kind) {
		String name = "outbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		return switch (kind) {
			case POSTGRESQL -> createPostgres(name);
			case MARIADB -> createMariaDb(name);
			case H2 -> new TestDatabase(kind, name, "", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000",
					"sa", "");
		};
	}

	private static TestDatabase createPostgres(String name) {
		String server = System.getenv().getOrDefault("OUTBOX_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
		String username = "postgres";
		String password = "";
		if (dockerAvailable()) {
			PostgreSQLContainer container = postgres();
			server = container.getJdbcUrl().substring(0, container.getJdbcUrl().lastIndexOf('/') + 1);
			username = container.getUsername();
			password = container.getPassword();
		}
		execute(Kind.POSTGRESQL, server + "postgres", username, password, "CREATE DATABASE " + name);
		return new TestDatabase(Kind.POSTGRESQL, name, server + "postgres", server + name, username, password);
	}

	private static TestDatabase createMariaDb(String name) {
		String server = System.getenv().getOrDefault("OUTBOX_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
		String username = "root";
		String password = "";
		if (dockerAvailable()) {
			MariaDBContainer container = mariaDb();
			server = "jdbc:mariadb://" + container.getHost() + ":" + container.getMappedPort(3306) + "/";
			password = container.getPassword();
		}
		execute(Kind.MARIADB, server, username, password, "CREATE DATABASE " + name);
		return new TestDatabase(Kind.MARIADB, name, server, server + name, username, password);
	}

	private static boolean dockerAvailable() {
		boolean hint = System.getenv("DOCKER_HOST") != null || new File("/var/run/docker.sock").exists();
		return hint && DockerClientFactory.instance().isDockerAvailable();
	}

	private static synchronized PostgreSQLContainer postgres() {
		if (postgresContainer == null) {
			postgresContainer = new PostgreSQLContainer("postgres:15-alpine").withUsername("postgres");
			postgresContainer.start();
		}
		return postgresContainer;
	}

	private static synchronized MariaDBContainer mariaDb() {
		if (mariaDbContainer == null) {
			mariaDbContainer = new MariaDBContainer("mariadb:10.11");
			mariaDbContainer.start();
		}
		return mariaDbContainer;
	}

	private static void execute(Kind kind, String url, String username, String password, String sql) {
		try (Connection connection = DriverManager.getConnection(url, username, password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The " + kind + " test database at " + url + " is not usable ("
					+ ex.getMessage() + "). Start the local service (see README.md) or a Docker engine.", ex);
		}
	}

	public Kind kind() {
		return this.kind;
	}

	public String url() {
		return this.url;
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.username, this.password);
	}

	/**
	 * Return a DataSource of this database that opens a connection per use.
	 */
	public DataSource dataSource() throws SQLException {
		return new SimpleDriverDataSource(DriverManager.getDriver(this.url), this.url, this.username, this.password);
	}

	public String[] springProperties() {
		return new String[] { "spring.datasource.url=" + this.url, "spring.datasource.username=" + this.username,
				"spring.datasource.password=" + this.password };
	}

	/**
	 * Start a proxy in front of this database's server, to cut the connections to it.
	 */
	public TcpProxy proxy() throws IOException {
		Matcher matcher = ADDRESS.matcher(this.url);
		Assert.state(matcher.find(), () -> "No host and port in " + this.url);
		return new TcpProxy(matcher.group(1), Integer.parseInt(matcher.group(2)));
	}

	/**
	 * Return the Spring properties connecting to this database through the given proxy.
	 */
	public String[] springProperties(TcpProxy proxy) {
		String[] properties = springProperties();
		properties[0] = "spring.datasource.url=" + url(proxy);
		return properties;
	}

	/**
	 * Open a connection to this database through the given proxy.
	 */
	public Connection connect(TcpProxy proxy) throws SQLException {
		return DriverManager.getConnection(url(proxy), this.username, this.password);
	}

	private String url(TcpProxy proxy) {
		return ADDRESS.matcher(this.url).replaceFirst("//127.0.0.1:" + proxy.port() + "/");
	}

	@Override
	public void close() {
		switch (this.kind) {
			case POSTGRESQL -> execute(this.kind, this.server, this.username, this.password,
					"DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
			case MARIADB ->
				execute(this.kind, this.server, this.username, this.password, "DROP DATABASE IF EXISTS " + this.name);
			case H2 -> execute(this.kind, this.url, this.username, this.password, "SHUTDOWN");
		}
	}

	@Override
	public String toString() {
		return this.kind.name().toLowerCase(Locale.ROOT);
	}

	public enum Kind {

		POSTGRESQL, MARIADB, H2

	}

}
