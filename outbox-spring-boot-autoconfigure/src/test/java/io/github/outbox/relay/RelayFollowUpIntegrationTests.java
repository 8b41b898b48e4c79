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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.github.outbox.store.Lanes;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay that just relayed events looks again shortly after, so that events committed
 * meanwhile by another instance do not wait for the poll when no notification comes.
 */
class RelayFollowUpIntegrationTests extends AbstractTwoInstancesIntegrationTests {

	// with the default of two workers, the second key is in the other worker's lanes: the
	// follow-up of the worker that relayed the first event must wake the other one too
	private final String first = keyInLaneGroup("first-", 0);

	private final String second = keyInLaneGroup("second-", 1);

	private final String beforePause = "before-pause-" + UUID.randomUUID();

	private final String afterPause = "after-pause-" + UUID.randomUUID();

	private volatile @Nullable Instant beforePauseDelivered;

	@BeforeAll
	void start() {
		startWriting("follow-up");
		// polls every 10 minutes and listens to no notification: only its own commit
		// wakes it
		this.relaying = instance(new OutboxRelayListener() {

			@Override
			public void delivered(OutboxRecord record, Instant acknowledgedAt) {
				if (RelayFollowUpIntegrationTests.this.beforePause.equals(record.key())) {
					RelayFollowUpIntegrationTests.this.beforePauseDelivered = Instant.now();
				}
				if (RelayFollowUpIntegrationTests.this.first.equals(record.key())) {
					// committed by the other instance while the relay is busy with the
					// first event
					publish(RelayFollowUpIntegrationTests.this.writing, RelayFollowUpIntegrationTests.this.second,
							"follow up");
				}
			}

		}, "outbox.relay.poll-interval=10m", "outbox.relay.notify=false", "outbox.relay.instance-id=relaying");
	}

	private static String keyInLaneGroup(String prefix, int group) {
		while (true) {
			String key = prefix + UUID.randomUUID();
			if (Lanes.laneOf(key, UUID.randomUUID(), 64) % 2 == group) {
				return key;
			}
		}
	}

	@Test
	void eventCommittedElsewhereDuringARunIsRelayedByTheFollowUp() {
		awaitRelayingOwnsAllLanes();
		publish(this.relaying, this.first, "follow up");
		List<Received> received = TestKafka.consume(this.topic,
				(record) -> this.first.equals(record.key()) || this.second.equals(record.key()), 2,
				Duration.ofSeconds(20), Duration.ZERO);
		assertThat(received).extracting(Received::key).containsExactlyInAnyOrder(this.first, this.second);
	}

	@Test
	void eventCommittedElsewhereAfterAPauseInTheCommitsIsRelayedBeforeThePoll() {
		awaitRelayingOwnsAllLanes();
		publish(this.relaying, this.beforePause, "follow up");
		await().atMost(Duration.ofSeconds(20)).until(() -> this.beforePauseDelivered != null);
		// the commits pause for longer than the first looks after the run: they find
		// nothing
		await().pollInterval(Duration.ofMillis(5))
			.until(() -> Instant.now().isAfter(this.beforePauseDelivered.plusMillis(150)));
		publish(this.writing, this.afterPause, "after a pause");
		// the poll is 10 minutes away
		List<Received> received = TestKafka.consume(this.topic, (record) -> this.afterPause.equals(record.key()), 1,
				Duration.ofSeconds(20), Duration.ZERO);
		assertThat(received).extracting(Received::key).containsExactly(this.afterPause);
	}

}
