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

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.actuate.DebeziumOutboxEndpoint;
import io.github.outbox.actuate.DebeziumOutboxHealthIndicator;
import io.github.outbox.actuate.OutboxEndpoint;
import io.github.outbox.actuate.OutboxHealthIndicator;
import io.github.outbox.capture.OutboxCapture;
import io.github.outbox.kafka.KafkaOutboxSender;
import io.github.outbox.micrometer.OutboxMetrics;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.store.DebeziumOutboxWriter;
import io.github.outbox.store.JdbcDeadOutboxEvents;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.RetentionPurger;
import io.github.outbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@code outbox.table-layout=debezium}: the auto-configurations write the
 * layout of Debezium's outbox event router and run no relay of their own.
 */
class OutboxDebeziumLayoutAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class, OutboxAutoConfiguration.class, OutboxKafkaAutoConfiguration.class,
				OutboxRelayAutoConfiguration.class, OutboxMetricsAutoConfiguration.class,
				OutboxActuatorAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"spring.application.name=order-service");

	@Test
	void whenTableLayoutIsDebeziumThenCaptureWritesTheRouterTableAndNoRelayRuns() {
		this.contextRunner.withPropertyValues("outbox.table-layout=debezium").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(OutboxCapture.class)
				.hasSingleBean(DebeziumOutboxWriter.class)
				.hasSingleBean(OutboxSchemaInitializer.class)
				.doesNotHaveBean(RetentionPurger.class)
				.doesNotHaveBean(OutboxStore.class)
				.doesNotHaveBean(OutboxLanes.class)
				.doesNotHaveBean(JdbcDeadOutboxEvents.class)
				.doesNotHaveBean(OutboxMonitor.class)
				.doesNotHaveBean(OutboxRelay.class)
				.doesNotHaveBean(OutboxSender.class)
				.doesNotHaveBean(KafkaOutboxSender.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(columns(jdbc, "OUTBOX_EVENT")).containsExactlyInAnyOrder("ID", "CE_SPECVERSION", "AGGREGATETYPE",
					"AGGREGATEID", "TYPE", "PAYLOAD", "TOPIC", "CE_SOURCE", "CE_TIME", "CE_SEQUENCE", "CONTENT_TYPE",
					"TRACEPARENT", "TRACINGSPANCONTEXT", "CREATED_AT");
			assertThat(columns(jdbc, "OUTBOX_EVENT_SEQUENCE")).contains("LAST_SEQUENCE");
		});
	}

	@Test
	void whenEventsAreCommittedThenTheirRowsAreDeletedInTheSameTransactionAndSequencesFollowCommits() {
		this.contextRunner.withPropertyValues("outbox.table-layout=debezium").run((context) -> {
			OutboxPublisher publisher = context.getBean(OutboxPublisher.class);
			TransactionTemplate transaction = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			transaction.executeWithoutResult((status) -> {
				publisher.publish("orders", "order-1", Map.of("n", 1));
				publisher.publish("orders", "order-1", Map.of("n", 2));
			});
			transaction.executeWithoutResult((status) -> {
				publisher.publish("orders", "order-1", Map.of("n", 3));
				status.setRollbackOnly();
			});
			transaction.executeWithoutResult((status) -> publisher.publish("orders", "order-1", Map.of("n", 4)));
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Integer.class)).isZero();
			assertThat(jdbc.queryForObject("SELECT last_sequence FROM outbox_event_sequence WHERE topic = 'orders' "
					+ "AND event_key = 'order-1'", Long.class))
				.isEqualTo(3);
		});
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenRowsAreKeptThenTheyHoldTheEventInTheDatabasesTypes(TestDatabase.Kind kind) {
		try (TestDatabase database = TestDatabase.create(kind)) {
			this.contextRunner.withPropertyValues(database.springProperties())
				.withPropertyValues("outbox.table-layout=debezium", "outbox.retention.published=1h")
				.run((context) -> {
					OutboxPublisher publisher = context.getBean(OutboxPublisher.class);
					TransactionTemplate transaction = new TransactionTemplate(
							context.getBean(PlatformTransactionManager.class));
					transaction.executeWithoutResult((status) -> {
						publisher.publish("order.events", "order-1", Map.of("n", 1));
						publisher.publish("order.events", "order-1", Map.of("n", 2));
						publisher.publish("audit", null, Map.of("n", 3));
					});
					JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
					List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, aggregatetype, aggregateid, "
							+ "type, payload, topic, ce_source, ce_sequence, content_type FROM outbox_event "
							+ "ORDER BY ce_time, ce_sequence");
					assertThat(rows).hasSize(3);
					assertThat(rows).extracting((row) -> row.get("aggregatetype"))
						.containsExactlyInAnyOrder("order", "order", "audit");
					assertThat(rows).extracting((row) -> String.valueOf(row.get("ce_sequence")))
						.containsExactlyInAnyOrder("1", "2", "null");
					assertThat(rows).allSatisfy((row) -> {
						assertThat(UUID.fromString(String.valueOf(row.get("id")))).isNotNull();
						assertThat(row.get("ce_source")).isEqualTo("order-service");
						assertThat(row.get("content_type")).isEqualTo("application/json");
						Object payload = row.get("payload");
						String text = (payload instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
								: String.valueOf(payload);
						assertThat(text).contains("\"n\"");
					});
				});
		}
	}

	@Test
	void whenAnEventCarriesAHeaderTheRouterCannotPlaceThenPublishingFails() {
		this.contextRunner.withPropertyValues("outbox.table-layout=debezium").run((context) -> {
			OutboxPublisher publisher = context.getBean(OutboxPublisher.class);
			TransactionTemplate transaction = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> transaction.executeWithoutResult(
						(status) -> publisher.publish("orders", "order-1", Map.of("n", 1), Map.of("tenant", "a"))))
				.withMessageContaining("tenant")
				.withMessageContaining("outbox.table-layout=debezium");
		});
	}

	@Test
	void whenTheRelayIsEnabledExplicitlyThenStartupFails() {
		this.contextRunner.withPropertyValues("outbox.table-layout=debezium", "outbox.relay.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.relay.enabled")
				.hasMessageContaining("outbox.table-layout=debezium"));
	}

	@Test
	void whenPublishedEventsHaveARetentionThenRowsAreKeptAndPurgedOnceOlder() {
		this.contextRunner.withPropertyValues("outbox.table-layout=debezium", "outbox.retention.published=1h")
			.run((context) -> {
				assertThat(context).hasSingleBean(RetentionPurger.class);
				RetentionPurger purger = context.getBean(RetentionPurger.class);
				// Its scheduled run starts with the context; stopped, only the call below
				// purges
				purger.stop();
				OutboxPublisher publisher = context.getBean(OutboxPublisher.class);
				new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
					.executeWithoutResult((status) -> {
						publisher.publish("orders", "order-1", Map.of("n", 1));
						publisher.publish("orders", "order-2", Map.of("n", 2));
					});
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Integer.class)).isEqualTo(2);
				jdbc.update(
						"UPDATE outbox_event SET created_at = DATEADD('HOUR', -2, created_at) WHERE aggregateid = ?",
						"order-1");
				assertThat(purger.purge()).isOne();
				assertThat(jdbc.queryForList("SELECT aggregateid FROM outbox_event", String.class))
					.containsExactly("order-2");
			});
	}

	@Test
	void whenTheEventTableExistsInTheRelayLayoutThenStartupFailsNamingTheMigration() {
		String url = "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		this.contextRunner.withPropertyValues(url).run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues(url, "outbox.table-layout=debezium")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox_event")
				.hasMessageContaining("docs/cdc.md"));
	}

	@Test
	void whenTableLayoutIsDebeziumThenHealthEndpointAndMetricsSayDebeziumRelays() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("outbox.table-layout=debezium", "management.endpoints.web.exposure.include=outbox")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(OutboxHealthIndicator.class).doesNotHaveBean(OutboxEndpoint.class);
				Health health = context.getBean(DebeziumOutboxHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("relay", "debezium")
					.containsEntry("table", "outbox_event");
				assertThat(context.getBean(DebeziumOutboxEndpoint.class).outbox().relay()).isEqualTo("debezium");
				OutboxPublisher publisher = context.getBean(OutboxPublisher.class);
				new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
					.executeWithoutResult((status) -> publisher.publish("orders", "order-1", Map.of("n", 1)));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(context).hasSingleBean(OutboxMetrics.class);
				assertThat(registry.get("outbox.events.recorded").counter().count()).isOne();
				assertThat(registry.find("outbox.events.pending").gauge()).isNull();
			});
	}

	private static List<String> columns(JdbcTemplate jdbc, String table) {
		return jdbc.queryForList("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ?",
				String.class, table);
	}

}
