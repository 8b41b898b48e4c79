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

import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.store.OutboxRecord;
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
 * A relay that just relayed events looks again shortly after, so that events committed
 * meanwhile by another instance do not wait for the poll when no notification comes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayFollowUpIntegrationTests {

	private final String first = "first-" + UUID.randomUUID();

	private final String second = "second-" + UUID.randomUUID();

	private TestDatabase database;

	private String topic;

	private ConfigurableApplicationContext relaying;

	private ConfigurableApplicationContext writing;

	@BeforeAll
	void start() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.topic = TestKafka.uniqueTopic("follow-up");
		TestKafka.createTopics(this.topic);
		this.writing = instance(null, "outbox.relay.enabled=false");
		// polls every 10 minutes and listens to no notification: only its own commit wakes it
		this.relaying = instance(new OutboxRelayListener() {

			@Override
			public void delivered(OutboxRecord record, Instant acknowledgedAt) {
				if (RelayFollowUpIntegrationTests.this.first.equals(record.key())) {
					// committed by the other instance while the relay is busy with the first event
					publish(RelayFollowUpIntegrationTests.this.writing, RelayFollowUpIntegrationTests.this.second);
				}
			}

		}, "outbox.relay.poll-interval=10m", "outbox.relay.notify=false", "outbox.relay.instance-id=relaying");
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
	void eventCommittedElsewhereDuringARunIsRelayedByTheFollowUp() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.relaying.getBean(OutboxRelay.class).getOwnedLanes().size() == 64);
		publish(this.relaying, this.first);
		List<Received> received = TestKafka.consume(this.topic,
				(record) -> this.first.equals(record.key()) || this.second.equals(record.key()), 2,
				Duration.ofSeconds(20), Duration.ZERO);
		assertThat(received).extracting(Received::key).containsExactlyInAnyOrder(this.first, this.second);
	}

	private static void publish(ConfigurableApplicationContext context, String orderId) {
		context.getBean(TransactionTemplate.class)
			.executeWithoutResult((status) -> context.publishEvent(new OrderPlaced(orderId, 1, "follow up")));
	}

	private ConfigurableApplicationContext instance(OutboxRelayListener listener, String... properties) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(OutboxTestApplication.class)
			.web(WebApplicationType.NONE);
		if (listener != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("followUpListener", listener));
		}
		return builder.run(CommandLine.arguments(this.database.springProperties(),
				new String[] { "spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(), "test.topic=" + this.topic,
						"spring.liquibase.enabled=false", "spring.flyway.enabled=false" },
				properties));
	}

}
