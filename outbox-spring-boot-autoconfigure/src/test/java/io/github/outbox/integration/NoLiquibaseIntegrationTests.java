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

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.autoconfigure.InboxAutoConfiguration;
import io.github.outbox.autoconfigure.OutboxAutoConfiguration;
import io.github.outbox.autoconfigure.OutboxKafkaAutoConfiguration;
import io.github.outbox.autoconfigure.OutboxRelayAutoConfiguration;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.schema.InboxScriptSchemaInitializer;
import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.schema.OutboxScriptSchemaInitializer;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Without Liquibase the starter creates its tables with its SQL scripts and works as with
 * the changelogs: an event is published and relayed to Kafka.
 */
class NoLiquibaseIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class, OutboxAutoConfiguration.class, OutboxKafkaAutoConfiguration.class,
				OutboxRelayAutoConfiguration.class, InboxAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("liquibase."))
		.withPropertyValues("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void whenLiquibaseIsHiddenThenTheScriptsCreateTheTablesAndAnEventIsRelayed(TestDatabase.Kind kind) {
		String topic = TestKafka.uniqueTopic("no-liquibase");
		String key = UUID.randomUUID().toString();
		TestKafka.createTopics(topic);
		try (TestDatabase database = TestDatabase.create(kind)) {
			this.contextRunner.withPropertyValues(database.springProperties())
				.withPropertyValues("outbox.table-name=shop_outbox")
				.run((context) -> {
					assertThat(context).hasSingleBean(OutboxScriptSchemaInitializer.class)
						.hasSingleBean(InboxScriptSchemaInitializer.class)
						.doesNotHaveBean(OutboxSchemaInitializer.class)
						.hasSingleBean(OutboxRelay.class);
					OutboxPublisher outbox = context.getBean(OutboxPublisher.class);
					new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
						.executeWithoutResult((status) -> outbox.publish(topic, key, Map.of("order", key), Map.of()));
					assertRelayed(topic, key);
					JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
					await().atMost(TIMEOUT)
						.until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM shop_outbox", Integer.class) == 0);
					assertThat(
							jdbc.queryForList("SELECT LOWER(table_name) FROM information_schema.tables", String.class))
						.contains("shop_outbox", "shop_outbox_sequence", "shop_outbox_lane", "shop_outbox_instance",
								"outbox_inbox", "outbox_inbox_sequence")
						.noneMatch((table) -> table.contains("changelog"));
				});
		}
	}

	@Test
	void whenLiquibaseIsAbsentFromTheClassPathThenAFlywayApplicationPublishesAndRelays() throws Exception {
		String topic = TestKafka.uniqueTopic("no-liquibase");
		String key = UUID.randomUUID().toString();
		TestKafka.createTopics(topic);
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				URLClassLoader withoutLiquibase = classLoaderWithoutLiquibase()) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> withoutLiquibase.loadClass("liquibase.Liquibase"));
			List<String> properties = new ArrayList<>(List.of(database.springProperties()));
			properties.addAll(List.of("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
					"spring.flyway.locations=classpath:app/flyway", "spring.main.banner-mode=off"));
			List<String> tables = publishAndRelay(withoutLiquibase, properties.toArray(String[]::new), topic, key);
			assertThat(tables)
				.contains("customers", "flyway_schema_history", "outbox_event", "outbox_event_sequence",
						"outbox_event_lane", "outbox_event_instance", "outbox_inbox", "outbox_inbox_sequence")
				.noneMatch((table) -> table.contains("changelog"));
			assertRelayed(topic, key);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> publishAndRelay(ClassLoader classLoader, String[] properties, String topic, String key)
			throws Exception {
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(classLoader);
		try {
			Method method = classLoader.loadClass(NoLiquibaseApplication.class.getName())
				.getMethod("publishAndRelay", String[].class, String.class, String.class);
			return (List<String>) method.invoke(null, properties, topic, key);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * The test class path without Liquibase's jars, over the JDK's classes only.
	 */
	private static URLClassLoader classLoaderWithoutLiquibase() throws Exception {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			File file = new File(entry);
			if (!file.getName().contains("liquibase")) {
				urls.add(file.toURI().toURL());
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

	private static void assertRelayed(String topic, String key) {
		List<Received> received = TestKafka.consume(topic, (record) -> key.equals(record.key()), 1, TIMEOUT,
				Duration.ZERO);
		assertThat(received).singleElement().satisfies((record) -> {
			assertThat(record.value()).isEqualTo("{\"order\":\"" + key + "\"}");
			assertThat(record.headers()).containsEntry("ce_sequence", "1");
		});
	}

}
