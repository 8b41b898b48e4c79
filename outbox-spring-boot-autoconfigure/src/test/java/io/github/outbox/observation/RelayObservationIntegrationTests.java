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

package io.github.outbox.observation;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay observes each send only when Micrometer Tracing traces, unless
 * {@code outbox.relay.observation-enabled} says otherwise: without tracing, Spring Boot's
 * {@code ObservationRegistry} would only turn the observations into timers per event
 * ({@code outbox.relay}, {@code spring.kafka.template}). A Boot app with the actuator,
 * real PostgreSQL and Kafka broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayObservationIntegrationTests {

	private TestDatabase database;

	private String topic;

	@BeforeAll
	void start() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.topic = TestKafka.uniqueTopic("observed");
		TestKafka.createTopics(this.topic);
	}

	@AfterAll
	void stop() {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void withoutTracingTheRelaySendsWithoutObservations() {
		try (ConfigurableApplicationContext context = application(
				"spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration")) {
			assertThat(context.getBean(Tracer.class)).isSameAs(Tracer.NOOP);
			relayOneEvent(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("outbox.relay.latency").timer()).isNotNull();
			assertThat(meters.find("outbox.relay").timer()).isNull();
			assertThat(kafkaTemplateSends(meters)).isZero();
		}
	}

	@Test
	void withoutTracingObservationsCanBeSwitchedOn() {
		try (ConfigurableApplicationContext context = application(
				"spring.autoconfigure.exclude=org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
				"outbox.relay.observation-enabled=true")) {
			relayOneEvent(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("outbox.relay").tag("outbox.topic", this.topic).timer()).isNotNull();
			assertThat(kafkaTemplateSends(meters)).isPositive();
		}
	}

	@Test
	void withTracingTheRelayObservesEachSend() {
		try (ConfigurableApplicationContext context = application()) {
			assertThat(context.getBean(Tracer.class)).isNotSameAs(Tracer.NOOP);
			relayOneEvent(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("outbox.relay").tag("outbox.topic", this.topic).timer()).isNotNull();
			assertThat(kafkaTemplateSends(meters)).isPositive();
		}
	}

	@Test
	void withTracingObservationsCanBeSwitchedOff() {
		try (ConfigurableApplicationContext context = application("outbox.relay.observation-enabled=false")) {
			relayOneEvent(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("outbox.relay").timer()).isNull();
			assertThat(kafkaTemplateSends(meters)).isZero();
		}
	}

	private ConfigurableApplicationContext application(String... properties) {
		return new SpringApplicationBuilder(OutboxTestApplication.class).web(WebApplicationType.NONE)
			.properties(this.database.springProperties())
			.properties("spring.application.name=outbox-observation-it",
					"spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(), "spring.liquibase.enabled=false",
					"spring.flyway.enabled=false", "test.topic=" + this.topic)
			.properties(properties)
			.run();
	}

	/**
	 * Sends timed by Spring Kafka's template: Spring Boot's own {@code kafkaTemplate}
	 * registers its timer at startup, before any send.
	 */
	private static long kafkaTemplateSends(MeterRegistry meters) {
		return meters.find("spring.kafka.template").timers().stream().mapToLong(Timer::count).sum();
	}

	private void relayOneEvent(ConfigurableApplicationContext context) {
		String orderId = "observed-" + UUID.randomUUID();
		context.getBean(TransactionTemplate.class)
			.executeWithoutResult((status) -> context.publishEvent(new OrderPlaced(orderId, 1, "observed")));
		List<Received> records = TestKafka.consume(this.topic, (record) -> orderId.equals(record.key()), 1,
				Duration.ofSeconds(30), Duration.ofMillis(200));
		assertThat(records).hasSize(1);
	}

}
