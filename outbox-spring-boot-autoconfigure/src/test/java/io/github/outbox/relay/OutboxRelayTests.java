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

package io.github.outbox.relay;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.Lanes;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.task.OutboxTaskSchedulers;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OutboxRelay} against the real databases, with a scripted sender.
 */
class OutboxRelayTests {

	static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofMillis(300), 2, Duration.ofSeconds(5), 0);

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenSendFailsThenItsKeyWaitsAndIsResentInOrderWhileOtherKeysFlow(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k", "j");
			ScriptedSender sender = new ScriptedSender(
					(record) -> (record.sequence() == 1 && "k".equals(record.key()) && record.attempts() == 0)
							? new IllegalStateException("broker said no") : null);
			OutboxRelay relay = relay(outbox, sender);
			assertThat(relay.relayBatch()).isEqualTo(3);
			List<Map<String, Object>> rows = outbox.rows();
			assertThat(rows).extracting((row) -> row.get("event_key")).containsExactly("k", "k");
			assertThat(rows.get(0)).containsEntry("attempts", 1);
			assertThat((String) rows.get(0).get("last_error")).contains("broker said no");
			assertThat(rows.get(1)).containsEntry("attempts", 0);
			// the failed event waits for its retry, and the later event of its key waits
			// behind it
			assertThat(relay.relayBatch()).isZero();
			await().atMost(Duration.ofSeconds(10)).until(() -> relay.relayBatch() == 2);
			assertThat(outbox.rows()).isEmpty();
			// k#2 was not sent behind the failed k#1
			assertThat(sender.sent()).containsExactly("k#1", "j#1", "k#1", "k#2");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenAnEventFailsAfterALaterEventOfItsKeyWasAcknowledgedThenItIsResentBehindItWithTheKeysNextSequence(
			TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k", "k", "j");
			List<String> acknowledged = new CopyOnWriteArrayList<>();
			OutboxSender sender = (record) -> {
				String name = record.key() + "#" + record.sequence();
				if (name.equals("k#1") && record.attempts() == 0) {
					return CompletableFuture.runAsync(() -> {
						throw new IllegalStateException("broker said no, late");
					}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
				}
				acknowledged.add(name);
				return CompletableFuture.completedFuture(null);
			};
			OutboxRelay relay = relay(outbox, sender);
			assertThat(relay.relayBatch()).isEqualTo(3);
			// k#2 was delivered and is gone; k#1 waits for its retry with the key's next
			// sequence
			assertThat(acknowledged).containsExactly("k#2", "j#1");
			assertThat(outbox.rows()).singleElement().satisfies((row) -> {
				assertThat(row).containsEntry("event_key", "k").containsEntry("attempts", 1);
				assertThat((String) row.get("last_error")).contains("broker said no, late");
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> relay.relayBatch() == 1);
			assertThat(acknowledged).containsExactly("k#2", "j#1", "k#3");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenSenderThrowsThenRestOfBatchIsLeftUntouched(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b", "c");
			ScriptedSender sender = new ScriptedSender((record) -> null);
			sender.throwFor = "b";
			OutboxRelay relay = relay(outbox, sender);
			relay.relayBatch();
			List<Map<String, Object>> rows = outbox.rows();
			assertThat(rows).extracting((row) -> row.get("event_key")).containsExactly("b", "c");
			assertThat(rows.get(0)).containsEntry("attempts", 1);
			assertThat(rows.get(1)).containsEntry("attempts", 0);
			assertThat(sender.sent()).containsExactly("a#1");
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenAnotherRelayHoldsTheLanesThenThisRelayLeavesThemAlone(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b", "c", "d");
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxRelay relay = relay(outbox, sender);
			try (Connection other = outbox.dataSource().getConnection()) {
				other.setAutoCommit(false);
				other.createStatement().executeQuery("SELECT lane FROM outbox_event_lane FOR UPDATE").close();
				assertThat(relay.relayBatch()).isZero();
				assertThat(sender.sent()).isEmpty();
				other.rollback();
			}
			assertThat(relay.relayBatch()).isEqualTo(4);
			assertThat(sender.sent()).hasSize(4);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenTheSenderHoldsEventsBackUntilFlushedThenEachBatchIsFlushed(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b", "c");
			GatheringSender sender = new GatheringSender();
			OutboxRelay relay = relay(outbox, sender);
			assertThat(relay.relayBatch()).isEqualTo(3);
			// held back until the flush, the events would have failed at the send timeout
			assertThat(sender.flushes).hasValue(1);
			assertThat(outbox.rows()).isEmpty();
			outbox.write("d");
			assertThat(relay.relayBatch()).isEqualTo(1);
			assertThat(sender.flushes).hasValue(2);
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenRelayStopsDuringABatchThenTheBatchCompletesBeforeStopReturns(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b", "c");
			CountDownLatch sending = new CountDownLatch(1);
			List<String> acknowledged = new CopyOnWriteArrayList<>();
			OutboxSender slowSender = (record) -> {
				sending.countDown();
				return CompletableFuture.runAsync(() -> acknowledged.add(record.key()),
						CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
			};
			OutboxRelay relay = relay(outbox, slowSender);
			relay.start();
			relay.committed(List.of());
			assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
			relay.stop();
			assertThat(relay.isRunning()).isFalse();
			assertThat(acknowledged).containsExactlyInAnyOrder("a", "b", "c");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenEventsCommitThenOnlyTheWorkersOfTheirLanesWake(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxRelay relay = twoWorkers(outbox, sender);
			Map<String, AtomicInteger> runs = countRuns(relay);
			IntSupplier firstWorkerRuns = () -> runs(runs, "outbox-relay-0-");
			IntSupplier secondWorkerRuns = () -> runs(runs, "outbox-relay-1-");
			relay.start();
			try {
				// each worker's first run, at the start, is over
				await().atMost(Duration.ofSeconds(10))
					.until(() -> firstWorkerRuns.getAsInt() > 0 && secondWorkerRuns.getAsInt() > 0);
				String inSecondGroup = keyInGroup(1);
				outbox.write(inSecondGroup);
				int firstBefore = firstWorkerRuns.getAsInt();
				int secondBefore = secondWorkerRuns.getAsInt();
				relay.committed(List.of(message(keyInGroup(0))));
				await().atMost(Duration.ofSeconds(10)).until(() -> firstWorkerRuns.getAsInt() > firstBefore);
				await("woken for an event of the other worker's lanes").during(Duration.ofMillis(300))
					.atMost(Duration.ofSeconds(5))
					.until(() -> secondWorkerRuns.getAsInt() == secondBefore && sender.sent().isEmpty());
				relay.committed(List.of(message(inSecondGroup)));
				await().atMost(Duration.ofSeconds(10)).until(() -> sender.sent().size() == 1);
			}
			finally {
				relay.stop();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenEventsCommitWhileTheRelayIsStoppedThenTheyWaitForItsStart(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxRelay relay = twoWorkers(outbox, sender);
			outbox.write("a");
			relay.committed(List.of(message("a")));
			relay.committed(List.of());
			assertThat(sender.sent()).isEmpty();
			relay.start();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> sender.sent().size() == 1);
			}
			finally {
				relay.stop();
			}
			relay.committed(List.of(message("a")));
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenStoppedThenItWaitsForNoRenewalOrLookScheduledForLater(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			// leases of 30 seconds: the next claim and extension are 10 s ahead, the
			// next poll 10 minutes
			OutboxRelay relay = twoWorkers(outbox, new ScriptedSender((record) -> null));
			relay.start();
			long stopping = System.nanoTime();
			relay.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenARunFindsItsLanesLockedByTheLeaseExtensionThenItLooksAgainSoonAfter(TestDatabase.Kind kind)
			throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			ScriptedSender sender = new ScriptedSender((record) -> null);
			// a poll every 10 minutes: only a look of the worker's own can find the event
			OutboxRelay relay = twoWorkers(outbox, sender);
			Map<String, AtomicInteger> runs = countRuns(relay);
			IntSupplier workerRuns = () -> runs(runs, "outbox-relay-0-") + runs(runs, "outbox-relay-1-");
			relay.start();
			try {
				// each worker's first run, at the start, is over
				await().atMost(Duration.ofSeconds(10)).until(() -> workerRuns.getAsInt() >= 2);
				try (Connection extension = outbox.dataSource().getConnection()) {
					extension.setAutoCommit(false);
					try (Statement statement = extension.createStatement()) {
						// what the extension of this instance's leases holds while it
						// waits for a batch of another group
						statement.executeUpdate("UPDATE " + outbox.store().getTables().lanes()
								+ " SET lease_until = lease_until WHERE owner = 'relay-1'");
					}
					outbox.write("a");
					int before = workerRuns.getAsInt();
					relay.committed(List.of(message("a")));
					await().atMost(Duration.ofSeconds(10)).until(() -> workerRuns.getAsInt() > before);
					assertThat(sender.sent()).isEmpty();
					extension.commit();
				}
				await("relayed after the extension committed").atMost(Duration.ofSeconds(5))
					.until(() -> sender.sent().size() == 1);
			}
			finally {
				relay.stop();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenConnectionsAreSerializableThenBatchesStillReadCommitted(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b");
			String isolationQuery = (kind == TestDatabase.Kind.POSTGRESQL)
					? "SELECT current_setting('transaction_isolation')" : "SELECT @@tx_isolation";
			List<String> committedAt = new CopyOnWriteArrayList<>();
			// a new connection each time, closed after use: its isolation needs no reset
			DataSource serializable = watching(outbox.dataSource(), (connection, method, arguments) -> {
				if (method.equals("getConnection")) {
					connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
				}
				if (method.equals("commit")) {
					try (Statement statement = connection.createStatement();
							ResultSet isolation = statement.executeQuery(isolationQuery)) {
						isolation.next();
						committedAt.add(isolation.getString(1).toLowerCase(Locale.ROOT).replace('-', ' '));
					}
				}
			});
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxStore store = new OutboxStore(serializable, outbox.store().getDialect(), outbox.store().getTables(),
					OutboxStore.Settings.lanes(8));
			OutboxRelay relay = new OutboxRelay(store, new OutboxLanes(serializable, outbox.store().getTables(), 8),
					serializable, sender, settings("relay-1", 10), Clock.systemUTC());
			assertThat(relay.takeLanes()).hasSize(8);
			committedAt.clear();
			assertThat(relay.relayBatch()).isEqualTo(2);
			assertThat(sender.sent()).containsExactly("a#1", "b#1");
			assertThat(committedAt).isNotEmpty().containsOnly("read committed");
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void batchesRunWithTheDialectsSettingsSentWithTheLaneLock(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b", "c", "d");
			List<String> committedWith = new CopyOnWriteArrayList<>();
			List<Integer> statementsPerTransaction = new CopyOnWriteArrayList<>();
			AtomicInteger statements = new AtomicInteger();
			DataSource watched = watching(outbox.dataSource(), (connection, method, arguments) -> {
				if (method.equals("prepareStatement") || method.equals("createStatement")) {
					statements.incrementAndGet();
				}
				if (method.equals("commit")) {
					statementsPerTransaction.add(statements.getAndSet(0));
					try (Statement statement = connection.createStatement();
							ResultSet settings = statement.executeQuery("SELECT current_setting('enable_seqscan')"
									+ " || ' ' || current_setting('jit') || ' '"
									+ " || current_setting('max_parallel_workers_per_gather')")) {
						settings.next();
						committedWith.add(settings.getString(1));
					}
				}
			});
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxStore store = new OutboxStore(watched, outbox.store().getDialect(), outbox.store().getTables(),
					OutboxStore.Settings.lanes(8));
			OutboxRelay relay = new OutboxRelay(store, new OutboxLanes(watched, outbox.store().getTables(), 8), watched,
					sender, settings("relay-1", 10), Clock.systemUTC());
			assertThat(relay.takeLanes()).hasSize(8);
			committedWith.clear();
			statements.set(0);
			statementsPerTransaction.clear();
			assertThat(relay.relayBatch()).isEqualTo(4);
			// three round trips: the settings with the lane lock, the read, the delete
			assertThat(statementsPerTransaction).containsExactly(3);
			outbox.write("e", "f", "g", "h");
			assertThat(relay.relayBatch(new LaneGroup(2, 0)) + relay.relayBatch(new LaneGroup(2, 1))).isEqualTo(4);
			// still in force at the commit, in batches of all lanes and of one group
			assertThat(committedWith).containsExactly("off off 0", "off off 0", "off off 0");
			assertThat(sender.sent()).hasSize(8);
			// and local to the batches' transactions
			assertThat(outbox.jdbc().queryForObject("SELECT current_setting('enable_seqscan')", String.class))
				.isEqualTo("on");
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenCommitsFollowABatchWithinTheLingerThenTheyAreRelayedTogetherAfterIt(TestDatabase.Kind kind)
			throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			List<Integer> batches = new CopyOnWriteArrayList<>();
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxRelay relay = new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), sender,
					settings("relay-1", 10).withLinger(Duration.ofSeconds(1)), Clock.systemUTC(),
					new OutboxRelayListener() {

						@Override
						public void batchCompleted(int events, Duration duration) {
							batches.add(events);
						}

					});
			relay.start();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> !relay.getOwnedLanes().isEmpty());
				// a relay whose last run (its first, at the start) began more than the
				// linger ago sends at once
				Thread.sleep(1200);
				outbox.write("a");
				long firstCommitted = System.nanoTime();
				relay.committed(List.of(message("a")));
				await().atMost(Duration.ofSeconds(10)).until(() -> sender.sent().size() == 1);
				assertThat(Duration.ofNanos(System.nanoTime() - firstCommitted)).isLessThan(Duration.ofMillis(500));
				// commits within the linger after the start of that run wait for the
				// rest of it and go together; so do the follow-up looks after it
				outbox.write("b");
				long secondCommitted = System.nanoTime();
				relay.committed(List.of(message("b")));
				// apart in time: without the linger each would be relayed on its own
				Thread.sleep(200);
				outbox.write("c");
				relay.committed(List.of(message("c")));
				await().atMost(Duration.ofSeconds(10)).until(() -> sender.sent().size() == 3);
				assertThat(Duration.ofNanos(System.nanoTime() - secondCommitted)).isGreaterThan(Duration.ofMillis(300));
				assertThat(batches).containsExactly(1, 2);
				assertThat(sender.sent()).containsExactly("a#1", "b#1", "c#1");
			}
			finally {
				relay.stop();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "POSTGRESQL")
	void whenCommitsKeepWakingTheRelayThenNoFollowUpLookRunsBetweenTheirRuns(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind); HikariDataSource pooled = new HikariDataSource()) {
			// pooled: a new connection takes longer than the time between the commits
			pooled.setDataSource(outbox.dataSource());
			AtomicInteger runs = new AtomicInteger();
			AtomicInteger relayingRuns = new AtomicInteger();
			DataSource counting = watching(pooled, (connection, method, arguments) -> {
				if (method.equals("prepareStatement") && ((String) arguments[0]).startsWith("SELECT lane FROM")
						&& ((String) arguments[0]).contains("lease_until > ?")) {
					// every run locks the lanes it relays first
					runs.incrementAndGet();
				}
			});
			ScriptedSender sender = new ScriptedSender((record) -> null);
			OutboxStore store = new OutboxStore(counting, outbox.store().getDialect(), outbox.store().getTables(),
					OutboxStore.Settings.lanes(8));
			OutboxRelay relay = new OutboxRelay(store, new OutboxLanes(counting, outbox.store().getTables(), 8),
					counting, sender,
					new OutboxRelay.Settings("relay-1", Duration.ofMinutes(10), 100, Duration.ofSeconds(10),
							Duration.ofSeconds(5), Duration.ofSeconds(30), 10, BACKOFF, 1)
						.withLinger(Duration.ZERO),
					Clock.systemUTC(), new OutboxRelayListener() {

						@Override
						public void batchCompleted(int events, Duration duration) {
							relayingRuns.incrementAndGet();
						}

					});
			relay.start();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> relay.getOwnedLanes().size() == 8);
				int commits = 100;
				int before = runs.get() - relayingRuns.get();
				TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(counting));
				for (int i = 0; i < commits; i++) {
					List<OutboxMessage> messages = List.of(message("k" + (i % 5)));
					transactions.executeWithoutResult((status) -> store.insert(messages));
					relay.committed(messages);
					// the input: commits 5 ms apart, a follow-up look is due 20 ms after
					// a run that relayed events
					Thread.sleep(5);
				}
				// every look due meanwhile came after a run that saw what it would see:
				// runs that find nothing are only those of a commit whose event the
				// run of the one before took
				assertThat(runs.get() - relayingRuns.get() - before).isLessThanOrEqualTo(5);
				await().atMost(Duration.ofSeconds(10)).until(() -> sender.sent().size() == commits);
			}
			finally {
				relay.stop();
			}
		}
	}

	/**
	 * The given data source, with each call on its connections shown to the given watcher
	 * first, and each connection shown as {@code getConnection} when taken.
	 */
	private static DataSource watching(DataSource dataSource, ConnectionWatcher watcher) {
		return new DelegatingDataSource(dataSource) {

			@Override
			public Connection getConnection() throws SQLException {
				Connection connection = super.getConnection();
				watcher.before(connection, "getConnection", new Object[0]);
				return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
						new Class<?>[] { Connection.class }, (proxy, method, arguments) -> {
							watcher.before(connection, method.getName(), arguments);
							try {
								return method.invoke(connection, arguments);
							}
							catch (InvocationTargetException ex) {
								throw ex.getCause();
							}
						});
			}

		};
	}

	@FunctionalInterface
	private interface ConnectionWatcher {

		void before(Connection connection, String method, Object[] arguments) throws SQLException;

	}

	/**
	 * A relay of two workers polling every ten minutes: only commits wake them.
	 */
	private static OutboxRelay twoWorkers(TestOutbox outbox, OutboxSender sender) {
		return new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), sender,
				new OutboxRelay.Settings("relay-1", Duration.ofMinutes(10), 100, Duration.ofSeconds(10),
						Duration.ofSeconds(5), Duration.ofSeconds(30), 10, BACKOFF, 2),
				Clock.systemUTC());
	}

	/**
	 * Count the runs the relay's threads complete, by thread name without its number.
	 */
	private static Map<String, AtomicInteger> countRuns(OutboxRelay relay) {
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		relay.setTaskSchedulers(OutboxTaskSchedulers.of(new ThreadPoolTaskSchedulerBuilder()
			.customizers((scheduler) -> scheduler.setTaskDecorator((task) -> () -> {
				task.run();
				runs.computeIfAbsent(Thread.currentThread().getName().replaceAll("\\d+$", ""),
						(thread) -> new AtomicInteger())
					.incrementAndGet();
			}))));
		return runs;
	}

	private static int runs(Map<String, AtomicInteger> runs, String threadNamePrefix) {
		AtomicInteger count = runs.get(threadNamePrefix);
		return (count != null) ? count.get() : 0;
	}

	private static String keyInGroup(int group) {
		for (int i = 0;; i++) {
			String key = "key-" + i;
			if (Lanes.laneOf(key, UUID.randomUUID(), 8) % 2 == group) {
				return key;
			}
		}
	}

	private static OutboxMessage message(String key) {
		return new OutboxMessage(UUID.randomUUID(), "topic", key, "test", new byte[0], Map.of(), Instant.now());
	}

	private static OutboxRelay relay(TestOutbox outbox, OutboxSender sender) {
		OutboxRelay relay = new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), sender,
				settings("relay-1", 10), Clock.systemUTC());
		assertThat(relay.takeLanes()).hasSize(8);
		return relay;
	}

	static OutboxRelay.Settings settings(String instanceId, int maxAttempts) {
		return new OutboxRelay.Settings(instanceId, Duration.ofMinutes(10), 100, Duration.ofSeconds(10),
				Duration.ofSeconds(5), Duration.ofSeconds(30), maxAttempts, BACKOFF);
	}

	/**
	 * A sender that holds every event back until flushed, as Kafka's producer does for
	 * its linger.
	 */
	static class GatheringSender implements OutboxSender {

		final AtomicInteger flushes = new AtomicInteger();

		private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			CompletableFuture<Void> result = new CompletableFuture<>();
			this.held.add(result);
			return result;
		}

		@Override
		public void flush() {
			this.flushes.incrementAndGet();
			this.held.forEach((result) -> result.complete(null));
			this.held.clear();
		}

	}

	static class ScriptedSender implements OutboxSender {

		private final Function<OutboxRecord, RuntimeException> failures;

		private final List<String> sent = new CopyOnWriteArrayList<>();

		String throwFor;

		ScriptedSender(Function<OutboxRecord, RuntimeException> failures) {
			this.failures = failures;
		}

		@Override
		public CompletableFuture<?> send(OutboxRecord record) {
			if (record.key().equals(this.throwFor)) {
				throw new IllegalStateException("sender unusable");
			}
			this.sent.add(record.key() + "#" + record.sequence());
			RuntimeException failure = this.failures.apply(record);
			return (failure != null) ? CompletableFuture.failedFuture(failure)
					: CompletableFuture.completedFuture(null);
		}

		List<String> sent() {
			return this.sent;
		}

	}

}
