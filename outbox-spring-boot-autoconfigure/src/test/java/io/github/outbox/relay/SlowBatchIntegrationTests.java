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
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.Lanes;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two relay instances on one database while one of them runs a slow batch: the other
 * keeps renewing its leases and relaying its own lanes.
 */
class SlowBatchIntegrationTests {

	private static final Duration LEASE_TIME = Duration.ofSeconds(3);

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "MARIADB", "POSTGRESQL" })
	void whenOneInstanceHoldsABatchOpenThenTheOtherKeepsRelayingItsLanes(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			CountDownLatch release = new CountDownLatch(1);
			CountDownLatch holding = new CountDownLatch(1);
			OutboxSender slow = (record) -> {
				holding.countDown();
				try {
					release.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return CompletableFuture.completedFuture(null);
			};
			Set<String> sentByB = ConcurrentHashMap.newKeySet();
			OutboxSender fast = (record) -> {
				sentByB.add(record.key());
				return CompletableFuture.completedFuture(null);
			};
			OutboxRelay a = relay(outbox, "a", slow);
			OutboxRelay b = relay(outbox, "b", fast);
			try {
				a.start();
				b.start();
				await().atMost(Duration.ofSeconds(20))
					.until(() -> a.getOwnedLanes().size() == 4 && b.getOwnedLanes().size() == 4);
				List<Integer> lanesOfA = a.getOwnedLanes();
				List<Integer> lanesOfB = b.getOwnedLanes();
				outbox.write(keyIn(lanesOfA, "a-"));
				assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
				// about 12 s with a's batch open, four lease times: b's events keep
				// arriving
				for (int i = 0; i < 12; i++) {
					String key = keyIn(lanesOfB, "b" + i + "-");
					outbox.write(key);
					await().pollDelay(Duration.ofSeconds(1))
						.atMost(Duration.ofSeconds(1 + 3))
						.until(() -> sentByB.contains(key));
				}
				assertThat(b.getOwnedLanes()).containsExactlyElementsOf(lanesOfB);
				release.countDown();
				await().atMost(Duration.ofSeconds(20)).until(() -> outbox.rows().isEmpty());
			}
			finally {
				release.countDown();
				a.stop();
				b.stop();
			}
		}
	}

	private static OutboxRelay relay(TestOutbox outbox, String instanceId, OutboxSender sender) {
		return new OutboxRelay(outbox.store(), outbox.lanes(), outbox.dataSource(), sender,
				new OutboxRelay.Settings(instanceId, Duration.ofMillis(100), 100, Duration.ofSeconds(10),
						Duration.ofSeconds(5), LEASE_TIME, 10, OutboxRelayTests.BACKOFF),
				Clock.systemUTC());
	}

	private static String keyIn(List<Integer> lanes, String prefix) {
		for (int i = 0;; i++) {
			String key = prefix + i;
			if (lanes.contains(Lanes.laneOf(key, UUID.randomUUID(), 8))) {
				return key;
			}
		}
	}

}
