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

import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.testsupport.CommandLine;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Two instances on one PostgreSQL database: one that writes events and does not relay,
 * one that relays them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractTwoInstancesIntegrationTests {

	TestDatabase database;

	String topic;

	ConfigurableApplicationContext relaying;

	ConfigurableApplicationContext writing;

	/**
	 * Create the database and the topic, then the writing instance.
	 * @param topicPrefix the prefix of the topic's name
	 */
	void startWriting(String topicPrefix) {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.topic = TestKafka.uniqueTopic(topicPrefix);
		TestKafka.createTopics(this.topic);
		this.writing = instance(null, "outbox.relay.enabled=false");
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

	void awaitRelayingOwnsAllLanes() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.relaying.getBean(OutboxRelay.class).getOwnedLanes().size() == 64);
	}

	static void publish(ConfigurableApplicationContext context, String orderId, String note) {
		context.getBean(TransactionTemplate.class)
			.executeWithoutResult((status) -> context.publishEvent(new OrderPlaced(orderId, 1, note)));
	}

	ConfigurableApplicationContext instance(@Nullable OutboxRelayListener listener, String... properties) {
		return initializedInstance((context) -> {
			if (listener != null) {
				context.getBeanFactory().registerSingleton("testRelayListener", listener);
			}
		}, properties);
	}

	ConfigurableApplicationContext initializedInstance(
			ApplicationContextInitializer<ConfigurableApplicationContext> initializer, String... properties) {
		return new SpringApplicationBuilder(OutboxTestApplication.class).web(WebApplicationType.NONE)
			.initializers(initializer)
			.run(CommandLine.arguments(this.database.springProperties(),
					new String[] { "spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
							"test.topic=" + this.topic, "spring.liquibase.enabled=false",
							"spring.flyway.enabled=false" },
					properties));
	}

}
