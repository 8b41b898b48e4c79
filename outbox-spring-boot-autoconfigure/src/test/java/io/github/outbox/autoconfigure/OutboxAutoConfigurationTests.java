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

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.OutboxSerializer;
import io.github.outbox.capture.OutboxApplicationEventListener;
import io.github.outbox.capture.OutboxCapture;
import io.github.outbox.jackson.JacksonOutboxSerializer;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.schema.OutboxScriptSchemaInitializer;
import io.github.outbox.store.JdbcDeadOutboxEvents;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.testsupport.TestDatabase;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link OutboxAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
				JacksonAutoConfiguration.class, OutboxAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void whenDataSourceIsPresentThenCaptureBeansAreCreatedAndTablesExist() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(OutboxStore.class)
				.hasSingleBean(OutboxLanes.class)
				.hasSingleBean(JdbcDeadOutboxEvents.class)
				.hasSingleBean(OutboxCapture.class)
				.hasSingleBean(OutboxApplicationEventListener.class)
				.hasSingleBean(JacksonOutboxSerializer.class)
				.hasSingleBean(OutboxSchemaInitializer.class)
				.doesNotHaveBean(SpringLiquibase.class);
			assertThat(context.getBean(OutboxPublisher.class)).isSameAs(context.getBean(OutboxCapture.class));
			assertThat(tableCount(context.getBean(JdbcTemplate.class), "OUTBOX_EVENT")).isOne();
			assertThat(tableCount(context.getBean(JdbcTemplate.class), "OUTBOX_EVENT_CHANGELOG")).isOne();
		});
	}

	@Test
	void whenTableNameIsSetThenAllTablesDeriveFromIt() {
		this.contextRunner.withPropertyValues("outbox.table-name=billing_outbox").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(tableCount(jdbc, "BILLING_OUTBOX")).isOne();
			assertThat(tableCount(jdbc, "BILLING_OUTBOX_SEQUENCE")).isOne();
			assertThat(tableCount(jdbc, "BILLING_OUTBOX_LANE")).isOne();
			assertThat(tableCount(jdbc, "OUTBOX_EVENT")).isZero();
		});
	}

	@Test
	void whenUserDefinesSerializerThenJacksonSerializerBacksOff() {
		this.contextRunner.withUserConfiguration(CustomSerializerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(OutboxSerializer.class).doesNotHaveBean(JacksonOutboxSerializer.class);
			assertThat(context).hasSingleBean(OutboxCapture.class);
		});
	}

	@Test
	void whenUserDefinesPublisherThenCaptureBacksOff() {
		this.contextRunner.withUserConfiguration(CustomPublisherConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(OutboxPublisher.class).doesNotHaveBean(OutboxCapture.class);
			assertThat(context).hasSingleBean(OutboxApplicationEventListener.class);
		});
	}

	@Test
	void whenOutboxIsDisabledThenNoBeansAreCreated() {
		this.contextRunner.withPropertyValues("outbox.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxStore.class)
				.doesNotHaveBean(OutboxPublisher.class)
				.doesNotHaveBean(OutboxSchemaInitializer.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "outbox.schema.mode=never", "outbox.schema.initialize=false" })
	void whenSchemaModeIsNeverThenNoTablesAreCreated(String property) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasSingleBean(OutboxStore.class).doesNotHaveBean(OutboxSchemaInitializer.class);
			assertThat(tableCount(context.getBean(JdbcTemplate.class), "OUTBOX_EVENT")).isZero();
		});
	}

	@Test
	void whenSchemaModeIsEmbeddedThenTablesAreCreatedInAnEmbeddedDatabase() {
		this.contextRunner.withPropertyValues("outbox.schema.mode=embedded")
			.run((context) -> assertThat(tableCount(context.getBean(JdbcTemplate.class), "OUTBOX_EVENT")).isOne());
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenSchemaModeIsEmbeddedThenNoTablesAreCreatedInAServerDatabase(TestDatabase.Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind)) {
			ApplicationContextRunner contextRunner = this.contextRunner
				.withConfiguration(AutoConfigurations.of(InboxAutoConfiguration.class))
				.withPropertyValues(database.springProperties());
			contextRunner.withPropertyValues("outbox.schema.mode=embedded")
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(OutboxSchemaInitializer.class));
			contextRunner.withPropertyValues("outbox.schema.mode=embedded")
				.withClassLoader(new FilteredClassLoader("liquibase."))
				.run((context) -> assertThat(context).hasNotFailed()
					.hasSingleBean(OutboxScriptSchemaInitializer.class));
			assertThat(tables(database)).isEmpty();
			contextRunner.withPropertyValues("outbox.schema.mode=always")
				.run((context) -> assertThat(context).hasNotFailed());
			assertThat(tables(database)).contains("outbox_event", "outbox_event_sequence", "outbox_inbox",
					"outbox_inbox_sequence");
		}
	}

	@Test
	void whenSchemaModeAndDeprecatedInitializeAreBothSetThenTheModeWins() {
		this.contextRunner.withPropertyValues("outbox.schema.initialize=false", "outbox.schema.mode=always")
			.run((context) -> assertThat(tableCount(context.getBean(JdbcTemplate.class), "OUTBOX_EVENT")).isOne());
	}

	@Test
	void whenLiquibaseIsMissingThenTheScriptsCreateTheTables() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("liquibase.")).run((context) -> {
			assertThat(context).hasSingleBean(OutboxScriptSchemaInitializer.class)
				.doesNotHaveBean(OutboxSchemaInitializer.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(tableCount(jdbc, "OUTBOX_EVENT")).isOne();
			assertThat(tableCount(jdbc, "OUTBOX_EVENT_LANE")).isOne();
			assertThat(tableCount(jdbc, "OUTBOX_EVENT_CHANGELOG")).isZero();
		});
	}

	@Test
	void whenLiquibaseIsMissingAndSchemaIsManagedElsewhereThenNoTablesAreCreated() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("liquibase."))
			.withPropertyValues("outbox.schema.mode=never")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(OutboxCapture.class)
					.doesNotHaveBean(OutboxScriptSchemaInitializer.class);
				assertThat(tableCount(context.getBean(JdbcTemplate.class), "OUTBOX_EVENT")).isZero();
			});
	}

	@Test
	void whenJacksonIsMissingAndNoSerializerIsDefinedThenStartupFails() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining(OutboxSerializer.class.getName()));
	}

	@Test
	void whenNoDataSourceThenNoBeansAreCreated() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxStore.class));
	}

	@Test
	void whenTableNameIsInvalidThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.table-name=outbox; drop table orders")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("tableName")
				.hasMessageContaining("plain SQL identifier"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Acc_Outbox_Event", "OUTBOX", "order", "user" })
	void whenTableNameIsMixedCaseOrAReservedWordThenStartupFailsSayingWhatIsAllowed(String tableName) {
		this.contextRunner.withPropertyValues("outbox.table-name=" + tableName)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("outbox.table-name")
				.hasMessageContaining("lower-case letters, digits and underscores")
				.hasMessageContaining("reserved word"));
	}

	@Test
	void whenTableNameIsMixedCaseOnPostgresqlThenStartupFailsNamingThePropertyBeforeTheChangelogRuns() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			this.contextRunner.withPropertyValues(database.springProperties())
				.withPropertyValues("outbox.table-name=Acc_Outbox_Event")
				.run((context) -> {
					assertThat(context).hasFailed()
						.getFailure()
						.rootCause()
						.hasMessageContaining("outbox.table-name")
						.hasMessageContaining("Acc_Outbox_Event");
					try (Connection connection = database.connect()) {
						assertThat(connection.getMetaData().getTables(null, null, "%outbox%", null).next()).isFalse();
					}
				});
		}
	}

	@Test
	void whenBatchSizeIsZeroThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.relay.batch-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("relay.batchSize")
				.hasMessageContaining("between 1 and 10000"));
	}

	@Test
	void whenPollIntervalIsNegativeThenStartupFails() {
		this.contextRunner.withPropertyValues("outbox.relay.poll-interval=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("relay.pollInterval")
				.hasMessageContaining("must be positive"));
	}

	@Test
	void whenLeaseTimeIsTooShortThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.relay.lease-time=100ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("relay.leaseTime")
				.hasMessageContaining("at least 300ms"));
	}

	@Test
	void whenMaxAttemptsIsZeroThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("outbox.relay.retry.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("relay.retry.maxAttempts")
				.hasMessageContaining("at least 1"));
	}

	@Test
	void whenOnDeadValueIsUnknownThenStartupFailsListingTheAllowedValues(CapturedOutput output) {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--outbox.relay.on-dead=sometimes",
				"--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "--spring.main.banner-mode=off"));
		assertThat(output).contains("outbox.relay.on-dead")
			.contains("sometimes")
			.contains("The following values are valid")
			.contains("SKIP")
			.contains("BLOCK");
	}

	@Test
	void whenOutsideTransactionValueIsUnknownThenStartupFails() {
		this.contextRunner.withPropertyValues("outbox.capture.outside-transaction=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("outbox.capture.outside-transaction")
				.hasStackTraceContaining("sometimes"));
	}

	private static List<String> tables(TestDatabase database) throws SQLException {
		String schema = (database.kind() == TestDatabase.Kind.MARIADB) ? "DATABASE()" : "CURRENT_SCHEMA()";
		List<String> tables = new ArrayList<>();
		try (Connection connection = database.connect();
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema)) {
			while (rows.next()) {
				tables.add(rows.getString(1));
			}
		}
		return tables;
	}

	private static int tableCount(JdbcTemplate jdbc, String table) {
		return jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE UPPER(TABLE_NAME) = ?",
				Integer.class, table);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, OutboxAutoConfiguration.class })
	static class EmptyConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomSerializerConfiguration {

		@Bean
		OutboxSerializer customSerializer() {
			return (event) -> event.toString().getBytes();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomPublisherConfiguration {

		@Bean
		OutboxPublisher customPublisher() {
			return new OutboxPublisher() {

				@Override
				public void publish(Object event, Map<String, String> headers) {
				}

				@Override
				public void publish(String topic, String key, Object event, Map<String, String> headers) {
				}

			};
		}

	}

}
