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

package io.github.outbox.integration.jpa;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.outbox.integration.jpa.Purchase.PurchasePlaced;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The outbox with Spring Data JPA on PostgreSQL: domain events of an
 * {@link org.springframework.data.domain.AbstractAggregateRoot} are recorded in the
 * {@link JpaTransactionManager}'s transaction, on its JDBC connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JpaOutboxIntegrationTests {

	private TestDatabase database;

	private ConfigurableApplicationContext context;

	private String topic;

	@BeforeAll
	void startApplication() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.topic = TestKafka.uniqueTopic("purchases");
		TestKafka.createTopics(this.topic);
		this.context = new SpringApplicationBuilder(JpaTestApplication.class).web(WebApplicationType.NONE)
			.properties(this.database.springProperties())
			.properties("spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
					"spring.liquibase.enabled=false", "spring.flyway.enabled=false",
					"spring.jpa.hibernate.ddl-auto=create", "test.topic=" + this.topic)
			.run();
	}

	@AfterAll
	void stopApplication() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void transactionsAreRunByJpaTransactionManager() {
		assertThat(this.context.getBean(PlatformTransactionManager.class)).isInstanceOf(JpaTransactionManager.class);
	}

	@Test
	void whenAggregateIsSavedThenItsDomainEventReachesKafka() {
		String id = "purchase-" + UUID.randomUUID();
		transactions().executeWithoutResult((status) -> repository().save(Purchase.place(id, 7)));
		List<Received> received = TestKafka.consume(this.topic, (record) -> id.equals(record.key()), 1,
				Duration.ofSeconds(30), Duration.ofMillis(500));
		assertThat(received).singleElement().satisfies((record) -> {
			assertThat(record.value()).isEqualTo("{\"purchaseId\":\"" + id + "\",\"amount\":7}");
			assertThat(record.headers()).containsEntry("ce_type", PurchasePlaced.class.getName());
		});
		assertThat(repository().findById(id)).isPresent();
	}

	@Test
	void whenJpaTransactionRollsBackThenNeitherAggregateNorEventIsStored() {
		String id = "purchase-" + UUID.randomUUID();
		assertThatIllegalStateException().isThrownBy(() -> transactions().executeWithoutResult((status) -> {
			repository().save(Purchase.place(id, 9));
			throw new IllegalStateException("rejected");
		}));
		assertThat(repository().findById(id)).isEmpty();
		Integer pending = transactions()
			.execute((status) -> this.context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
				.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE event_key = ?", Integer.class, id));
		assertThat(pending).isZero();
	}

	private TransactionTemplate transactions() {
		return this.context.getBean(TransactionTemplate.class);
	}

	private PurchaseRepository repository() {
		return this.context.getBean(PurchaseRepository.class);
	}

}
