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

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.outbox.OutboxPublisher;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

import static org.awaitility.Awaitility.await;

/**
 * An application without Liquibase, run by {@link NoLiquibaseIntegrationTests} in a class
 * loader that does not have it: only plain Java types cross into and out of it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
		excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class NoLiquibaseApplication {

	/**
	 * Start the application, publish one event in a transaction, wait until the relay
	 * deleted it (Kafka acknowledged it), stop, and return the tables of the database.
	 * @param properties the application's properties
	 * @param topic the topic of the event
	 * @param key the key of the event
	 * @return the lower-case names of the tables
	 */
	public static List<String> publishAndRelay(String[] properties, String topic, String key) {
		Assert.state(!ClassUtils.isPresent("liquibase.Liquibase", NoLiquibaseApplication.class.getClassLoader()),
				"Liquibase is on the class path");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NoLiquibaseApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run()) {
			OutboxPublisher outbox = context.getBean(OutboxPublisher.class);
			context.getBean(TransactionTemplate.class)
				.executeWithoutResult((status) -> outbox.publish(topic, key, Map.of("order", key), Map.of()));
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Integer.class) == 0);
			return jdbc.queryForList("SELECT LOWER(table_name) FROM information_schema.tables"
					+ " WHERE LOWER(table_name) LIKE '%outbox%' OR LOWER(table_name) LIKE '%flyway%'"
					+ " OR LOWER(table_name) = 'customers'", String.class);
		}
	}

}
