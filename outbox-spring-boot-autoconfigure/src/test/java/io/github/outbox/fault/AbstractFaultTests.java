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

package io.github.outbox.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.DeadOutboxEvents;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.testsupport.CommandLine;
import io.github.outbox.testsupport.JavaProcess;
import io.github.outbox.testsupport.KafkaBrokerProcess;
import io.github.outbox.testsupport.TcpProxy;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failure scenarios of the relay against a real database and a real Kafka broker in a
 * process of its own: several instances sharing the lanes, an instance killed with
 * {@code kill -9}, the broker stopped under load, poison events, and the database cut
 * off. Each scenario prints its figures as a line starting with {@code [fault]}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFaultTests {

	private static final Duration LEASE_TIME = Duration.ofSeconds(3);

	private static final int KEYS = 200;

	/**
	 * Multiplies the number of events of the scenarios, {@code -Dfault.scale=10} for a
	 * soak run.
	 */
	private static final int SCALE = Integer.getInteger("fault.scale", 1);

	private KafkaBrokerProcess broker;

	private TestDatabase database;

	private String topic;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	protected abstract TestDatabase.Kind databaseKind();

	@BeforeAll
	void startBroker() throws Exception {
		this.broker = KafkaBrokerProcess.start();
	}

	@AfterAll
	void stopBroker() throws Exception {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@BeforeEach
	void createDatabaseAndTopic() throws Exception {
		this.database = TestDatabase.create(databaseKind());
		this.topic = TestKafka.uniqueTopic("fault");
		this.broker.createTopics(this.topic);
	}

	@AfterEach
	void stopInstances() throws Exception {
		for (Process process : this.processes) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		this.contexts.forEach(ConfigurableApplicationContext::close);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.database.close();
	}

	@Test
	void instancesJoiningAndLeavingShareTheLanesAndKeepPerKeyOrder() throws Exception {
		int events = 20_000 * SCALE;
		ConfigurableApplicationContext a = instance("a");
		ConfigurableApplicationContext b = instance("b");
		awaitShares("a", "b");
		long start = System.nanoTime();
		Workload workload = Workload.start(a, 8, events, KEYS, 4_000);
		await().atMost(Duration.ofMinutes(2)).until(() -> workload.committedCount() >= events / 3);
		instance("c");
		awaitShares("a", "b", "c");
		await().atMost(Duration.ofMinutes(2)).until(() -> workload.committedCount() >= 2 * events / 3);
		b.close();
		workload.await();
		awaitDrained(Duration.ofMinutes(2));
		awaitShares("a", "c");
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		Map<String, Long> shares = shares();
		Delivery delivery = consume(workload);
		report("3 instances (c joins, b leaves)", "events=" + workload.committedCount() + " instances=3 "
				+ delivery.summary() + " writeAndDrainMillis=" + millis + " finalShares=" + shares);
		assertThat(workload.committedCount()).isEqualTo(events);
		assertThat(shares).containsOnlyKeys("a", "c").containsValues(32L, 32L);
		assertThat(delivery.keys()).isEqualTo(KEYS);
		assertThat(delivery.lost()).isEmpty();
		assertThat(delivery.unexpected()).isEmpty();
		assertThat(delivery.orderViolations()).isZero();
		// lanes change hands only between batches, so a graceful handover sends nothing
		// twice
		assertThat(delivery.duplicates()).isZero();
	}

	@Test
	void lanesOfAnInstanceKilledWhileRelayingAreTakenOverWithinTheLeaseTime() throws Exception {
		Path log = Files.createTempFile("outbox-relay-victim-", ".log");
		Process victim = JavaProcess.start(RelayProcess.class, List.of(CommandLine.arguments(properties("victim"))),
				log);
		this.processes.add(victim);
		await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.failFast("the relay process ended, see " + log, () -> !victim.isAlive())
			.until(() -> shares().getOrDefault("victim", 0L) == 64);
		ConfigurableApplicationContext survivor = instance("survivor");
		awaitShares("victim", "survivor");
		// the load lasts until the survivor has taken the victim's lanes over (the
		// count is only a bound): the wait for a moment to kill cannot outlast it
		Workload workload = Workload.start(survivor, 4, 240_000 * SCALE, KEYS, 2_000);
		this.closeables.add(workload::stop);
		// both instances relay the load for a few seconds before the kill
		await().atMost(Duration.ofMinutes(1)).until(() -> workload.committedCount() >= 6_000);
		List<Integer> victimLanes = lanesOf("victim");
		// kill it when it has events of its lanes still to send: a victim that keeps up
		// with the load empties its lanes between commits
		AtomicLong pendingAtKill = new AtomicLong();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> pendingAtKill.updateAndGet((previous) -> pendingIn(victimLanes)) > 0);
		long pendingInVictimLanes = pendingAtKill.get();
		victim.destroyForcibly();
		long killed = System.nanoTime();
		Instant killedAt = Instant.now();
		assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
		// what the victim left behind: it counts as live until its last heartbeat is
		// a lease time old, and its lanes are leased until their last renewal
		Instant victimExpiry = query((jdbc) -> {
			LocalDateTime heartbeat = jdbc.queryForObject(
					"SELECT heartbeat_at FROM outbox_event_instance WHERE instance_id = 'victim'", LocalDateTime.class);
			LocalDateTime leases = jdbc.queryForObject(
					"SELECT MAX(lease_until) FROM outbox_event_lane WHERE owner = 'victim'", LocalDateTime.class);
			Instant heartbeatExpiry = heartbeat.toInstant(ZoneOffset.UTC).plus(LEASE_TIME);
			if (leases == null) {
				// on a slow machine the survivor may have taken every lane over already
				return heartbeatExpiry;
			}
			Instant leaseExpiry = leases.toInstant(ZoneOffset.UTC);
			return leaseExpiry.isAfter(heartbeatExpiry) ? leaseExpiry : heartbeatExpiry;
		});
		await().atMost(LEASE_TIME.multipliedBy(3))
			.pollInterval(Duration.ofMillis(25))
			.until(() -> !shares().containsKey("victim"));
		Instant takenOverAt = Instant.now();
		long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
		// a slow victim may hold its expired lanes locked in a batch until it dies
		Instant takeoverDue = victimExpiry.isAfter(killedAt) ? victimExpiry : killedAt;
		long takeoverAfterDueMillis = Duration.between(takeoverDue, takenOverAt).toMillis();
		workload.stop();
		workload.await();
		awaitDrained(Duration.ofMinutes(2));
		Delivery delivery = consume(workload);
		report("kill -9",
				"events=" + workload.committedCount() + " instances=2 leaseMillis=" + LEASE_TIME.toMillis()
						+ " takeoverMillis=" + takeoverMillis + " victimExpiryAfterKillMillis="
						+ Duration.between(killedAt, victimExpiry).toMillis() + " takeoverAfterDueMillis="
						+ takeoverAfterDueMillis + " pendingInVictimLanesAtKill=" + pendingInVictimLanes + " "
						+ delivery.summary());
		// a dead instance holds nothing longer than the lease time after its death ...
		assertThat(victimExpiry).isBeforeOrEqualTo(killedAt.plus(LEASE_TIME));
		// ... and its lanes are taken over when that runs out (or at the kill, if its
		// batch still held them locked), not at a later periodic renewal
		assertThat(takeoverAfterDueMillis).isLessThan(LEASE_TIME.dividedBy(3).toMillis());
		assertThat(delivery.lost()).isEmpty();
		assertThat(delivery.unexpected()).isEmpty();
		assertThat(delivery.orderViolations()).isZero();
		// the victim died with events of its lanes still to send: the survivor had to
		// take them over (how many varies from run to run with the moment of the kill:
		// it is reported, not bounded)
		assertThat(pendingInVictimLanes).isPositive();
	}

	@Test
	void brokerStoppedUnderLoadLosesNothingAndTheBacklogDrainsWhenItReturns() throws Exception {
		ConfigurableApplicationContext a = instance("a", "outbox.kafka.producer.delivery.timeout.ms=6000",
				"outbox.kafka.producer.request.timeout.ms=2000", "outbox.kafka.producer.max.block.ms=2000",
				"outbox.kafka.producer.reconnect.backoff.max.ms=500");
		Workload workload = Workload.start(a, 4, 13_500, KEYS, 300);
		await().atMost(Duration.ofMinutes(1)).until(() -> workload.committedCount() >= 1_500);
		this.broker.stop();
		long stopped = System.nanoTime();
		// the outage itself: the broker stays down this long while the load goes on
		Thread.sleep(Long.getLong("fault.brokerDownMillis", 32_000));
		long pendingAtRestart = pending();
		this.broker.restart();
		long restarted = System.nanoTime();
		long downMillis = TimeUnit.NANOSECONDS.toMillis(restarted - stopped);
		awaitDrained(Duration.ofMinutes(2));
		long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
		workload.await();
		awaitDrained(Duration.ofMinutes(2));
		Delivery delivery = consume(workload);
		long dead = a.getBean(DeadOutboxEvents.class).count();
		report("broker down",
				"events=" + workload.committedCount() + " downMillis=" + downMillis + " backlogAtRestart="
						+ pendingAtRestart + " drainMillisAfterRestart=" + drainMillis + " dead=" + dead + " "
						+ delivery.summary());
		assertThat(downMillis).isGreaterThanOrEqualTo(30_000);
		assertThat(pendingAtRestart).isGreaterThan(5_000);
		assertThat(dead).isZero();
		assertThat(delivery.lost()).isEmpty();
		assertThat(delivery.unexpected()).isEmpty();
		assertThat(delivery.orderViolations()).isZero();
	}

	@Test
	void poisonEventsGoDeadWithTheirErrorWhileTheOthersArrive() throws Exception {
		ConfigurableApplicationContext a = instance("a", "outbox.kafka.producer.max.request.size=20000",
				"outbox.kafka.producer.max.block.ms=3000");
		TransactionTemplate transactions = a.getBean(TransactionTemplate.class);
		OutboxPublisher outbox = a.getBean(OutboxPublisher.class);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			int n = i;
			transactions.executeWithoutResult((status) -> {
				outbox.publish(new OrderPlaced("key-" + (n % 10), n, "good-" + n));
				if (n == 50) {
					outbox.publish(new OrderPlaced("key-0", n, "x".repeat(50_000)));
				}
				if (n == 60) {
					outbox.publish("no-such-topic", "key-0", new OrderPlaced("key-0", n, "lost-topic"));
				}
			});
			expected.add("good-" + n);
		}
		DeadOutboxEvents deadEvents = a.getBean(DeadOutboxEvents.class);
		await().atMost(Duration.ofSeconds(60)).until(() -> deadEvents.count() == 2 && pending() == 2);
		List<Received> received = TestKafka.consume(this.broker.bootstrapServers(), this.topic, (record) -> true,
				(records) -> records.stream().map(Delivery::note).collect(Collectors.toSet()).containsAll(expected),
				Duration.ofSeconds(30), Duration.ofSeconds(1));
		List<DeadOutboxEvent> dead = deadEvents.list(0, 10);
		report("poison",
				"good=" + expected.size() + " received=" + received.size() + " dead=" + dead.size() + " "
						+ dead.stream()
							.map((event) -> event.topic() + "/attempts=" + event.attempts() + "/" + event.lastError())
							.map((text) -> text.substring(0, Math.min(140, text.length())))
							.toList());
		assertThat(received).extracting(Delivery::note).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(dead).hasSize(2).allSatisfy((event) -> assertThat(event.attempts()).isEqualTo(1));
		assertThat(dead).filteredOn((event) -> event.topic().equals(this.topic))
			.singleElement()
			.satisfies((event) -> assertThat(event.lastError()).contains("RecordTooLargeException"));
		assertThat(dead).filteredOn((event) -> event.topic().equals("no-such-topic"))
			.singleElement()
			.satisfies((event) -> assertThat(event.lastError()).containsAnyOf("UnknownTopicOrPartitionException",
					"not present in metadata"));
	}

	@Test
	void databaseCutOffFailsTheBusinessTransactionsAndTheRelayRecovers() throws Exception {
		TcpProxy proxy = this.database.proxy();
		this.closeables.add(proxy);
		ConfigurableApplicationContext a = instance("a", this.database.springProperties(proxy)[0],
				"spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.validation-timeout=500");
		Workload workload = Workload.start(a, 4, 3_000, KEYS, 200);
		await().atMost(Duration.ofMinutes(1)).until(() -> workload.committedCount() >= 800);
		proxy.down();
		// the outage itself: the database stays cut off this long while the load goes on
		Thread.sleep(6_000);
		int failedDuringOutage = workload.failedTransactions();
		proxy.up();
		long restored = System.nanoTime();
		workload.await();
		awaitDrained(Duration.ofMinutes(1));
		long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);
		Delivery delivery = consume(workload);
		report("database down", "events=" + workload.committedCount() + " failedTransactions="
				+ workload.failedTransactions() + " recoveryMillis=" + recoveryMillis + " " + delivery.summary());
		assertThat(failedDuringOutage).isPositive();
		assertThat(a.getBean(OutboxRelay.class).isRunning()).isTrue();
		assertThat(delivery.lost()).isEmpty();
		assertThat(delivery.unexpected()).isEmpty();
		assertThat(delivery.orderViolations()).isZero();
	}

	private String[] properties(String instanceId) {
		return Stream
			.concat(Arrays.stream(this.database.springProperties()), Stream.of("spring.application.name=outbox-fault",
					"spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
					"spring.liquibase.enabled=false", "spring.flyway.enabled=false", "test.topic=" + this.topic,
					"outbox.relay.instance-id=" + instanceId, "outbox.relay.lease-time=" + LEASE_TIME.toMillis() + "ms",
					"outbox.relay.retry.initial-delay=200ms", "outbox.relay.retry.max-delay=2s",
					"logging.level.io.github.outbox.relay.LeaseRenewal=debug"))
			.toArray(String[]::new);
	}

	/**
	 * Start an application instance. Its properties are command line arguments, which
	 * take precedence over system properties that other tests' embedded broker sets
	 * ({@code spring.kafka.bootstrap-servers}).
	 */
	private ConfigurableApplicationContext instance(String instanceId, String... extraProperties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxTestApplication.class)
			.web(WebApplicationType.NONE)
			.run(CommandLine.arguments(Arrays.stream(properties(instanceId))
				.filter((property) -> !overridden(property, extraProperties))
				.toArray(String[]::new), extraProperties));
		this.contexts.add(context);
		return context;
	}

	private static boolean overridden(String property, String[] overrides) {
		String name = property.substring(0, property.indexOf('=') + 1);
		return Arrays.stream(overrides).anyMatch((override) -> override.startsWith(name));
	}

	/**
	 * Wait until the given instances, and only they, hold every lane, none more than its
	 * fair share.
	 */
	private void awaitShares(String... instances) {
		long fairShare = (64 + instances.length - 1) / instances.length;
		await().atMost(LEASE_TIME.multipliedBy(5)).until(() -> {
			Map<String, Long> shares = shares();
			return shares.keySet().equals(Set.of(instances))
					&& shares.values().stream().mapToLong(Long::longValue).sum() == 64
					&& shares.values().stream().allMatch((share) -> share <= fairShare);
		});
	}

	private Map<String, Long> shares() {
		return query((jdbc) -> jdbc
			.queryForList(
					"SELECT owner, COUNT(*) AS lanes FROM outbox_event_lane WHERE owner IS NOT NULL GROUP BY owner")
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("owner"),
					(row) -> ((Number) row.get("lanes")).longValue())));
	}

	private List<Integer> lanesOf(String owner) {
		return query((jdbc) -> jdbc.queryForList("SELECT lane FROM outbox_event_lane WHERE owner = ?", Integer.class,
				owner));
	}

	private long pendingIn(List<Integer> lanes) {
		Set<Integer> selected = Set.copyOf(lanes);
		return query((jdbc) -> jdbc.queryForList("SELECT lane FROM outbox_event WHERE dead_at IS NULL", Integer.class))
			.stream()
			.filter(selected::contains)
			.count();
	}

	private long pending() {
		return query((jdbc) -> jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Long.class));
	}

	private void awaitDrained(Duration timeout) {
		await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> pending() == 0);
	}

	private <T> T query(java.util.function.Function<JdbcTemplate, T> query) {
		try {
			SingleConnectionDataSource dataSource = new SingleConnectionDataSource(this.database.connect(), true);
			try {
				return query.apply(new JdbcTemplate(dataSource));
			}
			finally {
				dataSource.destroy();
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Delivery consume(Workload workload) {
		List<Received> received = TestKafka.consume(this.broker.bootstrapServers(), this.topic, (record) -> true,
				(records) -> records.size() >= workload.committedCount() && records.stream()
					.map(Delivery::note)
					.collect(Collectors.toSet())
					.containsAll(workload.committed()),
				Duration.ofSeconds(60), Duration.ofSeconds(2));
		return Delivery.of(received, workload);
	}

	private void report(String scenario, String figures) {
		System.out.println("[fault] " + this.database + " " + scenario + ": " + figures);
	}

}
