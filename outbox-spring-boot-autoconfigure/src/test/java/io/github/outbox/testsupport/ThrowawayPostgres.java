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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster: its own data directory (a temporary directory) and its
 * own free port on 127.0.0.1, trust authentication, started with {@code initdb} and
 * {@code pg_ctl} from the PostgreSQL binaries of this machine, and removed by
 * {@link #close()}. The machine's shared PostgreSQL server is never touched.
 * <p>
 * The binaries are looked up in {@code -Doutbox.test.postgres.bin}, then
 * {@code $POSTGRES_BIN}, then {@code /usr/lib/postgresql/<15..17>/bin}; when none is
 * found, {@link #start()} throws, so that the tests fail instead of being skipped. As
 * {@code initdb} refuses to run as root, the cluster runs as the {@code postgres} OS user
 * (through {@code runuser}) when the tests run as root.
 */
public final class ThrowawayPostgres implements AutoCloseable {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final Path bin;

	private final Path directory;

	private final Path data;

	private final int port;

	private final Duration startupTime;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Thread shutdownHook = new Thread(this::stopAndDelete, "outbox-throwaway-pg-stop");

	private ThrowawayPostgres(Path bin, Path directory, int port, Duration startupTime) {
		this.bin = bin;
		this.directory = directory;
		this.data = directory.resolve("data");
		this.port = port;
		this.startupTime = startupTime;
	}

	/**
	 * Create and start a cluster with PostgreSQL's default settings, apart from where it
	 * listens; fails when no PostgreSQL binaries are found.
	 * @param settings lines added to its {@code postgresql.conf}, for example
	 * {@code wal_level = logical}
	 * @return the running cluster
	 */
	public static ThrowawayPostgres start(String... settings) {
		long started = System.nanoTime();
		Path bin = findBinaries();
		Path directory;
		try {
			directory = Files.createTempDirectory("outbox-pg-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		int port = freePort();
		try {
			if (runningAsRoot()) {
				run(List.of("chown", "postgres:postgres", directory.toString()), directory, false);
			}
			Path data = directory.resolve("data");
			run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E",
					"UTF8", "--locale=C", "--no-sync", "--no-instructions"), directory, true);
			List<String> conf = new ArrayList<>(List.of("", "listen_addresses = '127.0.0.1'", "port = " + port,
					"unix_socket_directories = '" + directory + "'"));
			conf.addAll(List.of(settings));
			conf.add("");
			Files.writeString(data.resolve("postgresql.conf"), String.join("\n", conf), StandardCharsets.UTF_8,
					StandardOpenOption.APPEND);
			run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
					directory.resolve("postgres.log").toString(), "-w", "-t", "30", "start"), directory, true);
		}
		catch (IOException | RuntimeException ex) {
			ThrowawayPostgres failed = new ThrowawayPostgres(bin, directory, port, Duration.ZERO);
			failed.close();
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("Could not start PostgreSQL in " + directory, ex);
		}
		ThrowawayPostgres postgres = new ThrowawayPostgres(bin, directory, port,
				Duration.ofNanos(System.nanoTime() - started));
		// A JVM that ends without close() must not leave a server running.
		Runtime.getRuntime().addShutdownHook(postgres.shutdownHook);
		return postgres;
	}

	public int port() {
		return this.port;
	}

	public String host() {
		return "127.0.0.1";
	}

	/**
	 * How long {@link #start()} took, from looking up the binaries to a server accepting
	 * connections.
	 */
	public Duration startupTime() {
		return this.startupTime;
	}

	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + host() + ":" + this.port + "/" + database;
	}

	/**
	 * A connection to the given database as the {@code postgres} superuser.
	 */
	public Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
	}

	/**
	 * Count the rows of a table, as superuser.
	 */
	public long count(String database, String table) {
		try (Connection connection = connect(database);
				Statement statement = connection.createStatement();
				ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
			count.next();
			return count.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not count the rows of " + table, ex);
		}
	}

	/**
	 * Run statements one by one, in autocommit mode, as superuser.
	 */
	public void execute(String database, String... statements) {
		try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not execute " + List.of(statements), ex);
		}
	}

	/**
	 * Stop the server at once (nothing in it is worth a clean shutdown) and delete its
	 * directory.
	 */
	@Override
	public void close() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			// shutting down already, or never registered (failed start)
		}
		stopAndDelete();
	}

	private void stopAndDelete() {
		if (this.closed.getAndSet(true)) {
			return;
		}
		try {
			if (Files.exists(this.data.resolve("postmaster.pid"))) {
				run(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-m", "immediate", "-w",
						"stop"), this.directory, true);
			}
		}
		finally {
			deleteRecursively(this.directory);
		}
	}

	private static Path findBinaries() {
		List<Path> candidates = new ArrayList<>();
		String property = System.getProperty("outbox.test.postgres.bin");
		if (property != null && !property.isBlank()) {
			candidates.add(Path.of(property));
		}
		String environment = System.getenv("POSTGRES_BIN");
		if (environment != null && !environment.isBlank()) {
			candidates.add(Path.of(environment));
		}
		for (int version = 15; version <= 18; version++) {
			candidates.add(Path.of("/usr/lib/postgresql/" + version + "/bin"));
		}
		return candidates.stream()
			.filter((candidate) -> Files.isExecutable(candidate.resolve("initdb"))
					&& Files.isExecutable(candidate.resolve("pg_ctl")))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("PostgreSQL binaries (initdb, pg_ctl) not found in "
					+ candidates + "; install PostgreSQL or set -Doutbox.test.postgres.bin=<its bin directory>"));
	}

	private static boolean runningAsRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void run(List<String> command, Path directory, boolean asPostgres) {
		List<String> line = new ArrayList<>();
		if (asPostgres && runningAsRoot()) {
			line.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		line.addAll(command);
		Path output = directory.resolve("command.log");
		try {
			Process process = new ProcessBuilder(line).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
				.start();
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(line + " did not finish within " + COMMAND_TIMEOUT);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException(line + " failed with exit code " + process.exitValue() + ":\n"
						+ Files.readString(output) + logOf(directory));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + line, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + line, ex);
		}
	}

	private static String logOf(Path directory) throws IOException {
		Path log = directory.resolve("postgres.log");
		return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
