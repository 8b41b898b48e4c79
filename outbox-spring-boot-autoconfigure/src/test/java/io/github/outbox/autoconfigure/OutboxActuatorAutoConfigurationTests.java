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

package io.github.outbox.autoconfigure;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.actuate.OutboxEndpoint;
import io.github.outbox.actuate.OutboxHealthIndicator;
import io.github.outbox.micrometer.OutboxMetrics;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.store.OutboxStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxMetricsAutoConfiguration} and
 * {@link OutboxActuatorAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
				OutboxAutoConfiguration.class, OutboxMetricsAutoConfiguration.class,
				OutboxActuatorAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"outbox.capture.outside-transaction=own-transaction");

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
				OutboxAutoConfiguration.class, OutboxActuatorAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void whenMeterRegistryIsPresentThenMetersAreRegistered() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(OutboxMetrics.class).hasSingleBean(OutboxMonitor.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("outbox.events.pending").gauge()).isNotNull();
			assertThat(registry.find("outbox.events.dead").gauge()).isNotNull();
			assertThat(registry.find("outbox.events.oldest.age").gauge()).isNotNull();
			assertThat(registry.find("outbox.relay.lanes").gauge()).isNotNull();
			assertThat(registry.find("outbox.relay.latency").timer()).isNotNull();
		});
	}

	@Test
	void withSpringBootMetricsEachMeterIsRegisteredOnce(CapturedOutput output) {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
				for (String name : List.of("outbox.events.pending", "outbox.events.dead", "outbox.events.oldest.age",
						"outbox.relay.lanes", "outbox.relay.latency", "outbox.relay.batch",
						"outbox.relay.batch.size")) {
					assertThat(registry.find(name).meters()).as(name).hasSize(1);
				}
			});
		assertThat(output).doesNotContain("already registered");
	}

	@Test
	void whenNoMeterRegistryThenMetricsBackOff() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(OutboxMonitor.class)
			.doesNotHaveBean(OutboxMetrics.class));
	}

	@Test
	void whenMicrometerIsMissingThenMetricsBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxMetrics.class));
	}

	@Test
	void whenEndpointIsExposedThenItIsCreated() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=outbox")
			.run((context) -> assertThat(context).hasSingleBean(OutboxEndpoint.class));
	}

	@Test
	void whenEndpointIsExposedThenOnlyItsReadOperationsAreAvailableByDefault() {
		this.webContextRunner.withPropertyValues("management.endpoints.web.exposure.include=outbox")
			.run((context) -> assertThat(outboxOperations(context)).isNotEmpty().containsOnly(OperationType.READ));
	}

	@Test
	void whenAccessIsUnrestrictedThenWriteOperationsAreAvailable() {
		this.webContextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=outbox",
					"management.endpoint.outbox.access=UNRESTRICTED")
			.run((context) -> assertThat(outboxOperations(context)).contains(OperationType.READ, OperationType.WRITE,
					OperationType.DELETE));
	}

	private static List<OperationType> outboxOperations(AssertableWebApplicationContext context) {
		return context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().toString().equals("outbox"))
			.flatMap((endpoint) -> endpoint.getOperations().stream())
			.map(WebOperation::getType)
			.toList();
	}

	@Test
	void whenEndpointIsNotExposedThenItIsNotCreated() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(OutboxEndpoint.class));
	}

	@Test
	void whenActuatorIsMissingThenEndpointAndHealthBackOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
			.withPropertyValues("management.endpoints.web.exposure.include=outbox")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(OutboxEndpoint.class)
				.doesNotHaveBean(OutboxHealthIndicator.class));
	}

	@Test
	void healthIndicatorIsCreatedByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(OutboxHealthIndicator.class));
	}

	@Test
	void whenHealthIndicatorIsDisabledThenItIsNotCreated() {
		this.contextRunner.withPropertyValues("management.health.outbox.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxHealthIndicator.class));
	}

	@Test
	void healthThresholdsDefaultToFiveMinutesAndNoDeadEvent() {
		this.contextRunner.run((context) -> {
			Health health = healthWithDeadEvents(context, 1);
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.getDetails()).containsEntry("maxOldestPendingAgeSeconds", 300.0)
				.containsEntry("maxDead", 0L);
		});
	}

	@Test
	void healthThresholdsAreSetUnderManagementHealthOutbox() {
		this.contextRunner
			.withPropertyValues("management.health.outbox.max-oldest-age=2m", "management.health.outbox.max-dead=1")
			.run((context) -> {
				assertThat(healthWithDeadEvents(context, 1).getStatus()).isEqualTo(Status.UP);
				Health health = healthWithDeadEvents(context, 1);
				assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(health.getDetails()).containsEntry("dead", 2L)
					.containsEntry("maxOldestPendingAgeSeconds", 120.0)
					.containsEntry("maxDead", 1L);
			});
	}

	@Test
	void whenOnlyTheDeprecatedHealthThresholdsAreSetThenTheyApply() {
		this.contextRunner.withPropertyValues("outbox.health.max-oldest-age=3m", "outbox.health.max-dead=1")
			.run((context) -> {
				assertThat(healthWithDeadEvents(context, 1).getStatus()).isEqualTo(Status.UP);
				assertThat(healthWithDeadEvents(context, 1).getDetails())
					.containsEntry("maxOldestPendingAgeSeconds", 180.0)
					.containsEntry("maxDead", 1L);
			});
	}

	@Test
	void whenBothHealthThresholdsAreSetThenManagementHealthOutboxWins() {
		this.contextRunner
			.withPropertyValues("outbox.health.max-oldest-age=3m", "outbox.health.max-dead=5",
					"management.health.outbox.max-dead=0")
			.run((context) -> assertThat(healthWithDeadEvents(context, 1).getDetails())
				.containsEntry("maxOldestPendingAgeSeconds", 180.0)
				.containsEntry("maxDead", 0L));
	}

	@Test
	void whenHealthThresholdIsNegativeThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("management.health.outbox.max-dead=-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("management.health.outbox")
				.hasStackTraceContaining("maxDead")
				.hasStackTraceContaining("must not be negative"));
	}

	/**
	 * Publish the given number of events, mark them dead, and return the health of the
	 * outbox with the table's statistics refreshed.
	 */
	private static Health healthWithDeadEvents(AssertableApplicationContext context, int count) {
		OutboxPublisher publisher = context.getBean(OutboxPublisher.class);
		OutboxStore store = context.getBean(OutboxStore.class);
		for (int i = 0; i < count; i++) {
			publisher.publish("orders", "order-" + i, Map.of("order", i), Map.of());
		}
		Instant now = Instant.now();
		store.markDead(store.fetch(null, now, 100)
			.stream()
			.map((record) -> new OutboxStore.Failure(record.id(), now, "poison", true))
			.toList(), now);
		context.getBean(OutboxMonitor.class).refresh();
		return context.getBean(OutboxHealthIndicator.class).health(true);
	}

	@Test
	void whenOutboxIsDisabledThenNothingIsCreated() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("outbox.enabled=false", "management.endpoints.web.exposure.include=outbox")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(OutboxMonitor.class)
				.doesNotHaveBean(OutboxMetrics.class)
				.doesNotHaveBean(OutboxEndpoint.class)
				.doesNotHaveBean(OutboxHealthIndicator.class));
	}

}
