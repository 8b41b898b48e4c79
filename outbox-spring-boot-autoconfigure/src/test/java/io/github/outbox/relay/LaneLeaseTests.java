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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the lane leases of {@link OutboxRelay} instances sharing one outbox table.
 */
class LaneLeaseTests {

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
	void whenAnInstanceStopsRenewingThenItsLanesAreTakenOverAfterTheLeaseTime(TestDatabase.Kind kind)
			throws Exception {
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

	private static OutboxRelay relay(TestOutbox outbox, String instanceId, Duration leaseTime) {
		OutboxRelay.Settings settings = new OutboxRelay.Settings(instanceId, Duration.ofMinutes(10), 100,
				Duration.ofSeconds(10), Duration.ofSeconds(5), leaseTime, 10, OutboxRelayTests.BACKOFF);
		return new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), NO_OP, settings,
				Clock.systemUTC());
	}

}
