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

package io.github.outbox.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.DeadOutboxEvents;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.testsupport.CommandLine;
import io.github.outbox.testsupport.KafkaBrokerProcess;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox's meters, actuator endpoint and health indicator over HTTP, in an
 * application on PostgreSQL with a real Kafka broker that does not create topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxActuatorIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.shared();

	private KafkaBrokerProcess broker;

	private TestDatabase database;

	private ConfigurableApplicationContext context;

	private String topic;

	private String baseUrl;

	@BeforeAll
	void start() throws Exception {
		this.broker = KafkaBrokerProcess.start();
		this.topic = TestKafka.uniqueTopic("orders");
		this.broker.createTopics(this.topic);
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.context = new SpringApplicationBuilder(OutboxTestApplication.class).web(WebApplicationType.SERVLET)
			.run(CommandLine.arguments(this.database.springProperties(),
					new String[] { "server.port=0", "spring.application.name=outbox-actuator-it",
							"spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
							"spring.liquibase.enabled=false", "spring.flyway.enabled=false", "test.topic=" + this.topic,
							"management.endpoints.web.exposure.include=health,outbox,metrics",
							"management.endpoint.outbox.access=unrestricted",
							"management.endpoint.health.show-details=always",
							"management.metrics.distribution.percentiles-histogram.outbox.relay.latency=true",
							"outbox.monitor.refresh-interval=200ms", "outbox.kafka.producer.max.block.ms=2000" }));
		this.baseUrl = "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	@AfterAll
	void stop() throws Exception {
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void metersMoveAsEventsAreRecordedAndRelayed() throws Exception {
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		double published = counter(registry, "outbox.events.published", "topic", this.topic);
		long latencies = registry.get("outbox.relay.latency").timer().count();
		this.context.getBean(TransactionTemplate.class).executeWithoutResult((status) -> {
			for (int i = 0; i < 3; i++) {
				this.context.publishEvent(new OrderPlaced("metrics-" + i, i, "metered"));
			}
		});
		await().atMost(TIMEOUT)
			.until(() -> counter(registry, "outbox.events.published", "topic", this.topic) == published + 3);
		assertThat(registry.get("outbox.events.recorded")
			.tags("topic", this.topic, "type", OrderPlaced.class.getName())
			.counter()
			.count()).isGreaterThanOrEqualTo(3);
		assertThat(registry.get("outbox.relay.latency").timer().count()).isEqualTo(latencies + 3);
		assertThat(registry.get("outbox.relay.batch").timer().count()).isPositive();
		assertThat(registry.get("outbox.relay.batch.size").summary().totalAmount()).isGreaterThanOrEqualTo(3);
		assertThat(registry.get("outbox.relay.lanes").gauge().value()).isEqualTo(64);
		await().atMost(TIMEOUT).until(() -> registry.get("outbox.events.pending").gauge().value() == 0);
		JsonNode age = get("/actuator/metrics/outbox.events.oldest.age", 200);
		System.out.println("[actuator] GET /actuator/metrics/outbox.events.oldest.age: " + age);
		assertThat(age.get("baseUnit").asString()).isEqualTo("seconds");
		assertThat(age.get("measurements").get(0).get("value").asDouble()).isZero();
		JsonNode latency = get("/actuator/metrics/outbox.relay.latency", 200);
		assertThat(latency.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void deadEventIsRetriedThroughTheEndpointAndThenDelivered() throws Exception {
		String lateTopic = TestKafka.uniqueTopic("late");
		DeadOutboxEvent dead = publishDead(lateTopic, "retry-me");
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		assertThat(registry.get("outbox.events.failed").tags("topic", lateTopic).counter().count()).isEqualTo(1);
		await().atMost(TIMEOUT).until(() -> registry.get("outbox.events.dead").gauge().value() >= 1);
		JsonNode health = get("/actuator/health/outbox", 503);
		assertThat(health.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
		assertThat(health.get("details").get("dead").asLong()).isPositive();
		JsonNode state = get("/actuator/outbox", 200);
		System.out.println("[actuator] GET /actuator/outbox: " + state);
		assertThat(state.get("relay").get("running").asBoolean()).isTrue();
		assertThat(state.get("dead").asLong()).isPositive();
		assertThat(state.get("lastError").get("topic").asString()).isEqualTo(lateTopic);
		JsonNode page = get("/actuator/outbox/dead?page=0&size=10", 200);
		assertThat(page.get("events").valueStream().map((event) -> event.get("id").asLong())).contains(dead.id());
		this.broker.createTopics(lateTopic);
		JsonNode retried = send("POST", "/actuator/outbox/dead/" + dead.id(), 200);
		assertThat(retried.get("retried").asInt()).isEqualTo(1);
		List<Received> received = TestKafka.consume(this.broker.bootstrapServers(), lateTopic, (record) -> true,
				(records) -> !records.isEmpty(), TIMEOUT, Duration.ofMillis(200));
		assertThat(received).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo("retry-me");
			assertThat(record.headers()).containsEntry("ce_id", dead.eventId());
		});
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(get("/actuator/health/outbox", 200).get("status").asString()).isEqualTo("UP"));
	}

	@Test
	void deadEventIsDiscardedThroughTheEndpoint() throws Exception {
		DeadOutboxEvent dead = publishDead(TestKafka.uniqueTopic("never"), "discard-me");
		JsonNode discarded = send("DELETE", "/actuator/outbox/dead/" + dead.id(), 200);
		assertThat(discarded.get("id").asLong()).isEqualTo(dead.id());
		assertThat(discarded.get("discarded").asBoolean()).isTrue();
		assertThat(this.context.getBean(DeadOutboxEvents.class).list(0, 100))
			.noneMatch((event) -> event.id() == dead.id());
		assertThat(send("DELETE", "/actuator/outbox/dead/" + dead.id(), 200).get("discarded").asBoolean()).isFalse();
		assertThat(send("POST", "/actuator/outbox/dead/" + dead.id(), 200).get("retried").asInt()).isZero();
		send("GET", "/actuator/outbox/alive", 400);
	}

	@Test
	void healthIsDownWhileTheRelayIsStopped() throws Exception {
		OutboxRelay relay = this.context.getBean(OutboxRelay.class);
		relay.stop();
		try {
			JsonNode health = get("/actuator/health/outbox", 503);
			assertThat(health.get("status").asString()).isEqualTo("DOWN");
			assertThat(health.get("details").get("relay").asString()).isEqualTo("stopped");
		}
		finally {
			relay.start();
		}
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(get("/actuator/health/outbox", 200).get("details").get("relay").asString())
				.isEqualTo("running"));
	}

	private DeadOutboxEvent publishDead(String missingTopic, String key) {
		OutboxPublisher outbox = this.context.getBean(OutboxPublisher.class);
		this.context.getBean(TransactionTemplate.class)
			.executeWithoutResult((status) -> outbox.publish(missingTopic, key, new OrderPlaced(key, 1, "dead")));
		DeadOutboxEvents deadEvents = this.context.getBean(DeadOutboxEvents.class);
		return await().atMost(TIMEOUT)
			.until(() -> deadEvents.list(0, 100)
				.stream()
				.filter((event) -> event.topic().equals(missingTopic))
				.findFirst(), (event) -> event.isPresent())
			.orElseThrow();
	}

	private static double counter(MeterRegistry registry, String name, String... tags) {
		Counter counter = registry.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private JsonNode get(String path, int expectedStatus) throws Exception {
		return send("GET", path, expectedStatus);
	}

	private JsonNode send(String method, String path, int expectedStatus) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.header("Content-Type", "application/json")
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
		return response.body().isEmpty() ? this.json.createObjectNode() : this.json.readTree(response.body());
	}

}
