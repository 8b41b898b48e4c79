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
package io.github.outbox.test;

import java.time.Duration;
import java.util.UUID;

import io.github.outbox.test.TestApplication.OrderPlaced;
import io.github.outbox.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.outbox.test.OutboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two application contexts in one JVM, as the test context cache keeps them, on one
 * database: each {@link OutboxTestEvents} shows only its own application's events.
 */
class TwoApplicationContextsTests {

	@Test
	void eachContextRecordsOnlyItsOwnEvents() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
				ConfigurableApplicationContext first = start(database);
				ConfigurableApplicationContext second = start(database)) {
			String firstOrder = UUID.randomUUID().toString();
			String secondOrder = UUID.randomUUID().toString();
			first.getBean(Orders.class).place(firstOrder, 1);
			second.getBean(Orders.class).place(secondOrder, 2);
			OutboxTestEvents firstEvents = first.getBean(OutboxTestEvents.class);
			OutboxTestEvents secondEvents = second.getBean(OutboxTestEvents.class);
			assertThat(firstEvents.recorded(OrderPlaced.class)).containsExactly(new OrderPlaced(firstOrder, 1));
			assertThat(secondEvents.recorded(OrderPlaced.class)).containsExactly(new OrderPlaced(secondOrder, 2));
			secondEvents.reset();
			assertThat(secondEvents.recorded()).isEmpty();
			assertThat(firstEvents).hasRecorded(OrderPlaced.class, (event) -> event.orderId().equals(firstOrder));
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> firstEvents.awaitRelayed(Duration.ofSeconds(1)))
				.withMessageContaining("outbox.relay.enabled=false");
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database) {
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(database.springProperties())
			.properties(
					"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
							+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
					"outbox.relay.enabled=false")
			.run();
	}

}
