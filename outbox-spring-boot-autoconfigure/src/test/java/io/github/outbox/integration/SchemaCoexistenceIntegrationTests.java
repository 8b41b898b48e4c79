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

package io.github.outbox.integration;

import java.util.List;

import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's own Liquibase changelog runs next to the application's Liquibase or Flyway
 * migrations without switching them off, each recorded in its own tables.
 */
class SchemaCoexistenceIntegrationTests {

	@Test
	void whenApplicationUsesLiquibaseThenBothChangelogsRun() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				ConfigurableApplicationContext context = start(database, "spring.flyway.enabled=false",
						"spring.liquibase.change-log=classpath:app/changelog.xml")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT id FROM databasechangelog", String.class))
				.containsExactly("app-1-orders");
			assertThat(jdbc.queryForList("SELECT id FROM outbox_event_changelog", String.class))
				.contains("outbox-1-event-table", "outbox-1-sequence-table", "outbox-1-lane-table")
				.doesNotContain("app-1-orders");
			assertThat(tables(jdbc)).contains("orders", "outbox_event", "outbox_event_sequence", "outbox_event_lane");
		}
	}

	@Test
	void whenApplicationUsesFlywayThenBothMigrationsRun() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				ConfigurableApplicationContext context = start(database, "spring.liquibase.enabled=false",
						"spring.flyway.locations=classpath:app/flyway")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success", String.class))
				.containsExactly("1");
			assertThat(tables(jdbc)).contains("customers", "outbox_event", "outbox_event_changelog")
				.doesNotContain("databasechangelog");
		}
	}

	@Test
	void whenApplicationIncludesTheChangelogThenItsOwnLiquibaseCreatesTheTables() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				ConfigurableApplicationContext context = start(database, "spring.flyway.enabled=false",
						"spring.liquibase.change-log=classpath:app/changelog-with-outbox.yaml",
						"outbox.schema.mode=never", "outbox.table-name=shop_outbox")) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT id FROM databasechangelog", String.class)).contains("app-1-orders",
					"outbox-1-event-table", "outbox-1-sequence-table", "outbox-1-lane-table");
			assertThat(tables(jdbc)).contains("shop_outbox", "shop_outbox_sequence", "shop_outbox_lane")
				.doesNotContain("outbox_event", "shop_outbox_changelog");
		}
	}

	@Test
	void whenSchemaIsInitializedTwiceThenNothingChanges() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
			String[] properties = { "spring.flyway.enabled=false", "spring.liquibase.enabled=false" };
			int applied;
			try (ConfigurableApplicationContext context = start(database, properties)) {
				applied = context.getBean(JdbcTemplate.class)
					.queryForObject("SELECT COUNT(*) FROM outbox_event_changelog", Integer.class);
			}
			try (ConfigurableApplicationContext context = start(database, properties)) {
				assertThat(context.getBean(JdbcTemplate.class)
					.queryForObject("SELECT COUNT(*) FROM outbox_event_changelog", Integer.class)).isEqualTo(applied);
			}
			assertThat(applied).isPositive();
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database, String... properties) {
		return new SpringApplicationBuilder(OutboxTestApplication.class).web(WebApplicationType.NONE)
			.properties(database.springProperties())
			.properties("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(), "test.topic=unused")
			.properties(properties)
			.run();
	}

	private static List<String> tables(JdbcTemplate jdbc) {
		return jdbc.queryForList("SELECT LOWER(table_name) FROM information_schema.tables", String.class);
	}

}
