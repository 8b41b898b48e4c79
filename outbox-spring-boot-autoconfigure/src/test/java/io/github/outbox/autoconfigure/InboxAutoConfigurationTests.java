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

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.actuate.OutboxEndpoint;
import io.github.outbox.actuate.OutboxHealthIndicator;
import io.github.outbox.capture.OutboxHeaderContributor;
import io.github.outbox.inbox.Inbox;
import io.github.outbox.inbox.InboxEvent;
import io.github.outbox.inbox.InboxOutcome;
import io.github.outbox.inbox.InboxRecordInterceptor;
import io.github.outbox.inbox.InboxStore;
import io.github.outbox.micrometer.InboxMetrics;
import io.github.outbox.micrometer.OutboxMetrics;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.schema.InboxSchemaInitializer;
import io.github.outbox.schema.InboxScriptSchemaInitializer;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.OutboxWriter;
import io.github.outbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.Advisor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.RecordInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InboxAutoConfiguration}.
 */
class InboxAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, InboxAutoConfiguration.class,
				OutboxMetricsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void whenKafkaAndADataSourceArePresentThenInboxIsCreatedWithItsTables() {
		this.contextRunner.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(Inbox.class)
				.hasSingleBean(InboxStore.class)
				.hasSingleBean(InboxSchemaInitializer.class)
				.hasSingleBean(InboxRecordInterceptor.class)
				.hasSingleBean(InboxMetrics.class)
				.hasBean("idempotentListenerAdvisor");
			assertThat(context.getBean("idempotentListenerAdvisor")).isInstanceOf(Advisor.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForObject(
					"SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) IN ('OUTBOX_INBOX', 'OUTBOX_INBOX_SEQUENCE')",
					Integer.class))
				.isEqualTo(2);
		});
	}

	@Test
	void whenOutboxIsDisabledThenTheInboxWorksWithoutOutboxBeansOrTables() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
					KafkaAutoConfiguration.class, OutboxTracingAutoConfiguration.class, OutboxAutoConfiguration.class,
					OutboxKafkaAutoConfiguration.class, OutboxRelayAutoConfiguration.class,
					InboxAutoConfiguration.class, OutboxMetricsAutoConfiguration.class,
					OutboxActuatorAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withBean(Tracer.class, () -> Tracer.NOOP)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"outbox.enabled=false", "management.endpoints.web.exposure.include=outbox")
			.run((context) -> {
				assertThat(context).hasSingleBean(Inbox.class)
					.hasSingleBean(InboxSchemaInitializer.class)
					.hasSingleBean(InboxMetrics.class)
					.doesNotHaveBean(OutboxPublisher.class)
					.doesNotHaveBean(OutboxWriter.class)
					.doesNotHaveBean(OutboxSchemaInitializer.class)
					.doesNotHaveBean(OutboxMonitor.class)
					.doesNotHaveBean(OutboxRelay.class)
					.doesNotHaveBean(OutboxSender.class)
					.doesNotHaveBean(OutboxHeaderContributor.class)
					.doesNotHaveBean(OutboxMetrics.class)
					.doesNotHaveBean(OutboxHealthIndicator.class)
					.doesNotHaveBean(OutboxEndpoint.class);
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
				assertThat(jdbc.queryForList(
						"SELECT LOWER(TABLE_NAME) FROM INFORMATION_SCHEMA.TABLES" + " WHERE TABLE_SCHEMA = 'PUBLIC'",
						String.class))
					.containsExactlyInAnyOrder("outbox_inbox", "outbox_inbox_sequence", "outbox_inbox_changelog",
							"outbox_inbox_changelog_lock");
				Inbox inbox = context.getBean(Inbox.class);
				List<String> applied = new ArrayList<>();
				InboxEvent event = new InboxEvent("id-1", "orders", "order-1", 1L);
				assertThat(inbox.process("payments", event, () -> applied.add("id-1")))
					.isEqualTo(InboxOutcome.PROCESSED);
				assertThat(inbox.process("payments", event, () -> applied.add("id-1")))
					.isEqualTo(InboxOutcome.DUPLICATE);
				assertThat(applied).containsExactly("id-1");
			});
	}

	@Test
	void whenLiquibaseIsMissingThenTheScriptsCreateTheInboxTables() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("liquibase.")).run((context) -> {
			assertThat(context).hasSingleBean(Inbox.class)
				.hasSingleBean(InboxScriptSchemaInitializer.class)
				.doesNotHaveBean(InboxSchemaInitializer.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForList("SELECT LOWER(TABLE_NAME) FROM INFORMATION_SCHEMA.TABLES"
					+ " WHERE UPPER(TABLE_NAME) LIKE 'OUTBOX_INBOX%'", String.class))
				.containsExactlyInAnyOrder("outbox_inbox", "outbox_inbox_sequence");
		});
	}

	@Test
	void whenApplicationDefinesARecordInterceptorThenInboxDoesNotReplaceIt() {
		this.contextRunner.withBean(RecordInterceptor.class, () -> (record, consumer) -> record)
			.run((context) -> assertThat(context).hasSingleBean(Inbox.class)
				.doesNotHaveBean(InboxRecordInterceptor.class));
	}

	@Test
	void whenInboxIsDisabledThenNothingIsCreated() {
		this.contextRunner.withPropertyValues("outbox.inbox.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Inbox.class));
	}

	@Test
	void whenSpringKafkaIsMissingThenInboxBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RecordInterceptor.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Inbox.class));
	}

	@Test
	void whenInboxTableNameIsInvalidThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.inbox.table-name=inbox;drop")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("inbox.tableName"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Acc_Inbox", "INBOX", "order", "user" })
	void whenInboxTableNameIsMixedCaseOrAReservedWordThenStartupFailsSayingWhatIsAllowed(String tableName) {
		this.contextRunner.withPropertyValues("outbox.inbox.table-name=" + tableName)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.inbox.table-name")
				.hasMessageContaining("lower-case letters, digits and underscores")
				.hasMessageContaining("reserved word"));
	}

	@Test
	void whenInboxTableNameIsMixedCaseOnPostgresqlThenStartupFailsNamingTheProperty() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			this.contextRunner.withPropertyValues(database.springProperties())
				.withPropertyValues("outbox.inbox.table-name=Acc_Inbox")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("outbox.inbox.table-name")
					.hasMessageContaining("Acc_Inbox"));
		}
	}

}
