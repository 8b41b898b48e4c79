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

import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.testsupport.CommandLine;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On PostgreSQL, a commit in one instance wakes the relay of another at once
 * (LISTEN/NOTIFY), long before its poll.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRelayWakeUpIntegrationTests {

	private TestDatabase database;

	private String topic;

	private ConfigurableApplicationContext relaying;

	private ConfigurableApplicationContext writing;

	@BeforeAll
	void start() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.topic = TestKafka.uniqueTopic("woken");
		TestKafka.createTopics(this.topic);
		// the relaying instance polls every 10 minutes: only a notification can wake it in time
		this.relaying = instance("outbox.relay.poll-interval=10m", "outbox.relay.instance-id=relaying");
		this.writing = instance("outbox.relay.enabled=false");
	}

	@AfterAll
	void stop() {
		if (this.writing != null) {
			this.writing.close();
		}
		if (this.relaying != null) {
			this.relaying.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void commitInAnotherInstanceWakesTheRelay() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.relaying.getBean(OutboxRelay.class).getOwnedLanes().size() == 64);
		String orderId = "woken-" + UUID.randomUUID();
		long start = System.nanoTime();
		this.writing.getBean(TransactionTemplate.class)
			.executeWithoutResult((status) -> this.writing.publishEvent(new OrderPlaced(orderId, 1, "wake up")));
		List<Received> received = TestKafka.consume(this.topic, (record) -> orderId.equals(record.key()), 1,
				Duration.ofSeconds(20), Duration.ZERO);
		long millis = (System.nanoTime() - start) / 1_000_000;
		System.out.println("[wake-up] commit in another instance -> record in Kafka: " + millis + " ms");
		assertThat(received).hasSize(1);
		assertThat(millis).isLessThan(Duration.ofMinutes(10).toMillis());
	}

	private ConfigurableApplicationContext instance(String... properties) {
		return new SpringApplicationBuilder(OutboxTestApplication.class).web(WebApplicationType.NONE)
			.run(CommandLine.arguments(this.database.springProperties(),
					new String[] { "spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
							"test.topic=" + this.topic, "spring.liquibase.enabled=false", "spring.flyway.enabled=false" },
					properties));
	}

}
