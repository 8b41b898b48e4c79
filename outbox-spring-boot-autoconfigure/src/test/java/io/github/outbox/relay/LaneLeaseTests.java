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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.outbox.sender.OutboxSender;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the lane leases of {@link OutboxRelay} instances sharing one outbox table.
 */
class LaneLeaseTests {

	private static final Duration LEASE_TIME = Duration.ofSeconds(3);

	private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

	private static final OutboxSender NO_OP = (record) -> CompletableFuture.completedFuture(null);

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void instancesShareTheLanesFairlyAndDisjointly(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxRelay first = relay(outbox, "first", Duration.ofSeconds(30));
			OutboxRelay second = relay(outbox, "second", Duration.ofSeconds(30));
			OutboxRelay third = relay(outbox, "third", Duration.ofSeconds(30));
			assertThat(first.takeLanes()).hasSize(8);
			assertThat(second.takeLanes()).isEmpty();
			assertThat(third.takeLanes()).isEmpty();
			// every instance applies the same rule; two rounds settle the shares
			for (int round = 0; round < 2; round++) {
				first.renewLeasesNow();
				second.renewLeasesNow();
				third.renewLeasesNow();
			}
			List<Integer> a = first.getOwnedLanes();
			List<Integer> b = second.getOwnedLanes();
			List<Integer> c = third.getOwnedLanes();
			assertThat(List.of(a.size(), b.size(), c.size())).allSatisfy((size) -> assertThat(size).isBetween(2, 3));
			Set<Integer> all = new HashSet<>();
			all.addAll(a);
			all.addAll(b);
			all.addAll(c);
			assertThat(all).hasSize(8);
			assertThat(outbox.lanes().owners()).allSatisfy((lane, owner) -> assertThat(owner).isNotNull());
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenAnInstanceLeavesThenTheOthersTakeItsLanesAtOnce(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxRelay first = relay(outbox, "first", Duration.ofSeconds(30));
			OutboxRelay second = relay(outbox, "second", Duration.ofSeconds(30));
			first.takeLanes();
			second.takeLanes();
			first.renewLeasesNow();
			second.renewLeasesNow();
			assertThat(second.getOwnedLanes()).hasSize(4);
			first.leaveNow();
			assertThat(second.renewLeasesNow()).hasSize(8);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenAnInstanceStopsRenewingThenItsLanesAreTakenOverAfterTheLeaseTime(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxRelay dying = relay(outbox, "dying", Duration.ofMillis(600));
			OutboxRelay survivor = relay(outbox, "survivor", Duration.ofMillis(600));
			assertThat(dying.takeLanes()).hasSize(8);
			assertThat(survivor.takeLanes()).isEmpty();
			// the dying instance neither renews nor leaves
			await().atMost(Duration.ofSeconds(5)).until(() -> survivor.renewLeasesNow().size() == 8);
			// it cannot send on its former lanes any more
			outbox.write("a");
			assertThat(dying.relayBatch()).isZero();
			assertThat(survivor.relayBatch()).isOne();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenADeadInstancesLeasesOutliveItsHeartbeatThenTheNextRenewalIsDueWhenTheyExpire(TestDatabase.Kind kind)
			throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			// the dying instance's last renewal: its heartbeat at the start, its leases
			// extended 400ms later (the renewal waited for its batch to release the
			// lanes), then kill -9
			dieWithLeasesUntil(outbox, START.plus(LEASE_TIME).plusMillis(400));
			MovingClock clock = new MovingClock(START);
			LaneLeases survivor = leases(outbox, "survivor", clock);
			assertThat(survivor.renew()).isEmpty();
			assertThat(survivor.nextExpiry()).isEqualTo(START.plus(LEASE_TIME));
			clock.set(START.plus(LEASE_TIME).plusMillis(20));
			// the heartbeat has lapsed, the leases have not: nothing to take yet, and the
			// next
			// renewal must come when the leases expire, not a renewal period later
			assertThat(survivor.renew()).isEmpty();
			assertThat(survivor.nextExpiry()).isEqualTo(START.plus(LEASE_TIME).plusMillis(400));
			clock.set(START.plus(LEASE_TIME).plusMillis(420));
			assertThat(survivor.renew()).hasSize(8);
			assertThat(survivor.nextExpiry()).isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenADeadInstancesLeasesExpireDuringARenewalThenTheNextRenewalIsDueAtOnce(TestDatabase.Kind kind)
			throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			Instant leaseExpiry = START.plus(LEASE_TIME).plusMillis(25);
			dieWithLeasesUntil(outbox, leaseExpiry);
			MovingClock clock = new MovingClock(START);
			LaneLeases survivor = leases(outbox, "survivor", clock);
			assertThat(survivor.renew()).isEmpty();
			// a renewal that takes time: each reading of the clock 10ms after the one
			// before. The heartbeat has lapsed, the leases are valid when it looks for
			// lanes to take and expired when it extends its own
			clock.tick(START.plus(LEASE_TIME).plusMillis(10), Duration.ofMillis(10));
			assertThat(survivor.renew()).isEmpty();
			assertThat(survivor.nextExpiry()).isEqualTo(leaseExpiry);
			clock.set(leaseExpiry.plusMillis(20));
			assertThat(survivor.renew()).hasSize(8);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void takingOverTheLanesOfADeadInstanceDoesNotWaitForTheBatchOnTheOwnLanes(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			MovingClock clock = new MovingClock(START);
			LaneLeases dying = leases(outbox, "dying", Clock.fixed(START, ZoneOffset.UTC));
			LaneLeases survivor = leases(outbox, "survivor", clock);
			dying.createLanes();
			dying.renew();
			survivor.renew();
			assertThat(dying.renew()).hasSize(4);
			assertThat(survivor.renew()).hasSize(4);
			clock.set(START.plusSeconds(2));
			assertThat(survivor.renew()).hasSize(4);
			// the dying instance's heartbeat and leases have lapsed; the survivor is
			// relaying
			// a batch on its own lanes, which holds their rows locked
			clock.set(START.plus(LEASE_TIME).plusMillis(20));
			Batch batch = Batch.lock(outbox, survivor, clock.instant(), 4);
			CompletableFuture<List<Integer>> renewal = CompletableFuture.supplyAsync(survivor::renew);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> outbox.lanes().owners().values().stream().allMatch("survivor"::equals));
			assertThat(renewal).isNotDone();
			batch.end();
			assertThat(renewal.get(10, TimeUnit.SECONDS)).hasSize(8);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenExpiredLanesAreStillLockedThenTheNextRenewalComesSoon(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			MovingClock clock = new MovingClock(START);
			LaneLeases slow = leases(outbox, "slow", Clock.fixed(START, ZoneOffset.UTC));
			LaneLeases survivor = leases(outbox, "survivor", clock);
			slow.createLanes();
			assertThat(slow.renew()).hasSize(8);
			// the slow instance's batch outlives its heartbeat and leases: its lanes are
			// expired but locked until the batch ends (or the instance dies)
			Batch batch = Batch.lock(outbox, slow, START, 8);
			Instant renewal = START.plus(LEASE_TIME).plusMillis(20);
			clock.set(renewal);
			assertThat(survivor.renew()).isEmpty();
			// not a renewal period later: the locks go when the batch ends or its
			// instance dies
			assertThat(survivor.nextExpiry()).isEqualTo(renewal.plus(LEASE_TIME.dividedBy(30)));
			batch.end();
			clock.set(renewal.plus(LEASE_TIME.dividedBy(30)));
			assertThat(survivor.renew()).hasSize(8);
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void lanesOfAnInstanceThatDiesAreTakenWhileTheExtensionOfTheOwnLeasesWaitsForABatch(TestDatabase.Kind kind)
			throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			MovingClock clock = new MovingClock(START);
			LaneLeases slow = leases(outbox, "slow", Clock.fixed(START, ZoneOffset.UTC));
			LaneLeases survivor = leases(outbox, "survivor", clock);
			slow.createLanes();
			slow.renew();
			survivor.renew();
			assertThat(slow.renew()).hasSize(4);
			assertThat(survivor.renew()).hasSize(4);
			clock.set(START.plusSeconds(2));
			assertThat(survivor.renew()).hasSize(4);
			// the slow instance's batch outlives its heartbeat and leases, and the
			// survivor's own batch holds its lanes: extending its leases waits for it
			Batch slowBatch = Batch.lock(outbox, slow, START, 4);
			clock.set(START.plus(LEASE_TIME).plusMillis(20));
			Batch ownBatch = Batch.lock(outbox, survivor, clock.instant(), 4);
			survivor.claim();
			assertThat(survivor.nextExpiry()).isEqualTo(clock.instant().plus(LEASE_TIME.dividedBy(30)));
			CompletableFuture<List<Integer>> extension = CompletableFuture.supplyAsync(survivor::extend);
			awaitLockWait(outbox, kind);
			// the slow instance dies: its locks go, and the next look takes its lanes
			// without waiting for the extension
			slowBatch.end();
			clock.set(START.plus(LEASE_TIME).plusMillis(120));
			assertThat(survivor.claim()).hasSize(4);
			assertThat(outbox.lanes().owners().values()).containsOnly("survivor");
			assertThat(survivor.owned()).hasSize(8);
			assertThat(extension).isNotDone();
			ownBatch.end();
			assertThat(extension.get(10, TimeUnit.SECONDS)).hasSize(8);
			assertThat(survivor.owned()).hasSize(8);
		}
	}

	/**
	 * A relay batch of the given instance, holding its lanes locked until it ends.
	 */
	private record Batch(CountDownLatch done, CompletableFuture<Void> transaction) {

		static Batch lock(TestOutbox outbox, LaneLeases leases, Instant now, int lanes) throws InterruptedException {
			CountDownLatch locked = new CountDownLatch(1);
			CountDownLatch done = new CountDownLatch(1);
			CompletableFuture<Void> transaction = CompletableFuture
				.runAsync(() -> relayTransactions(outbox).executeWithoutResult((status) -> {
					assertThat(leases.lock(now)).hasSize(lanes);
					locked.countDown();
					await().atMost(Duration.ofSeconds(30)).until(() -> done.getCount() == 0);
				}));
			assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
			return new Batch(done, transaction);
		}

		void end() throws Exception {
			this.done.countDown();
			this.transaction.get(10, TimeUnit.SECONDS);
		}

	}

	private static final class MovingClock extends Clock {

		private Instant now;

		private Duration step = Duration.ZERO;

		MovingClock(Instant now) {
			this.now = now;
		}

		synchronized void set(Instant now) {
			this.now = now;
			this.step = Duration.ZERO;
		}

		/**
		 * From the given time on, move by the given step after each reading.
		 */
		synchronized void tick(Instant now, Duration step) {
			this.now = now;
			this.step = step;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public synchronized Instant instant() {
			Instant instant = this.now;
			this.now = instant.plus(this.step);
			return instant;
		}

	}

	/**
	 * An instance "dying" that takes every lane with its heartbeat at the start, its
	 * leases extended until the given time, and renews no more.
	 */
	private static void dieWithLeasesUntil(TestOutbox outbox, Instant leaseExpiry) {
		LaneLeases dying = leases(outbox, "dying", Clock.fixed(START, ZoneOffset.UTC));
		dying.createLanes();
		assertThat(dying.renew()).hasSize(8);
		outbox.jdbc()
			.update("UPDATE outbox_event_lane SET lease_until = ? WHERE owner = 'dying'",
					LocalDateTime.ofInstant(leaseExpiry, ZoneOffset.UTC));
	}

	private static void awaitLockWait(TestOutbox outbox, TestDatabase.Kind kind) {
		String waiting = (kind == TestDatabase.Kind.POSTGRESQL)
				? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
				: "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> outbox.jdbc().queryForObject(waiting, Integer.class), (count) -> count > 0);
	}

	private static LaneLeases leases(TestOutbox outbox, String instanceId, Clock clock) {
		return new LaneLeases(outbox.lanes(), relayTransactions(outbox), instanceId, LEASE_TIME, clock);
	}

	/**
	 * Transactions as the relay runs them: read committed, so that on MariaDB and MySQL a
	 * locking read locks only the lanes it returns.
	 */
	private static TransactionTemplate relayTransactions(TestOutbox outbox) {
		TransactionTemplate transactions = new TransactionTemplate(
				new DataSourceTransactionManager(outbox.dataSource()));
		transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
		return transactions;
	}

	private static OutboxRelay relay(TestOutbox outbox, String instanceId, Duration leaseTime) {
		OutboxRelay.Settings settings = new OutboxRelay.Settings(instanceId, Duration.ofMinutes(10), 100,
				Duration.ofSeconds(10), Duration.ofSeconds(5), leaseTime, 10, OutboxRelayTests.BACKOFF);
		return new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), NO_OP, settings, Clock.systemUTC());
	}

}
