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
import java.util.List;
import java.util.UUID;

import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, a commit in one instance wakes the relay of another at once
 * (LISTEN/NOTIFY), long before its poll.
 */
class PostgresRelayWakeUpIntegrationTests extends AbstractTwoInstancesIntegrationTests {

	@BeforeAll
	void start() {
		startWriting("woken");
		// the relaying instance polls every 10 minutes: only a notification can wake it
		// in time
		this.relaying = instance(null, "outbox.relay.poll-interval=10m", "outbox.relay.instance-id=relaying");
	}

	@Test
	void commitInAnotherInstanceWakesTheRelay() {
		awaitRelayingOwnsAllLanes();
		String orderId = "woken-" + UUID.randomUUID();
		long start = System.nanoTime();
		publish(this.writing, orderId, "wake up");
		List<Received> received = TestKafka.consume(this.topic, (record) -> orderId.equals(record.key()), 1,
				Duration.ofSeconds(20), Duration.ZERO);
		long millis = (System.nanoTime() - start) / 1_000_000;
		System.out.println("[wake-up] commit in another instance -> record in Kafka: " + millis + " ms");
		assertThat(received).hasSize(1);
		assertThat(millis).isLessThan(Duration.ofMinutes(10).toMillis());
	}

}
