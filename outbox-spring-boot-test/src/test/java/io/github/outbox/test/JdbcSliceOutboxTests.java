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

import java.util.Map;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.test.TestApplication.OrderCancelled;
import io.github.outbox.test.TestApplication.OrderPlaced;
import io.github.outbox.test.testsupport.TestDatabases;
import io.github.outbox.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static io.github.outbox.test.OutboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @JdbcTest} with {@link AutoConfigureOutbox}: a
 * {@code DataSourceTransactionManager} and the test's own transaction, with a savepoint
 * rolled back inside it.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@AutoConfigureOutbox
@DirtiesContext
class JdbcSliceOutboxTests {

	@Autowired
	private ApplicationEventPublisher events;

	@Autowired
	private OutboxPublisher publisher;

	@Autowired
	private OutboxTestEvents outboxEvents;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabases.register(registry, TestDatabase.Kind.H2);
	}

	@Test
	void showsTheTestsEventsWithoutThoseOfARolledBackSavepoint() {
		this.events.publishEvent(new OrderPlaced("o-1", 1));
		TransactionTemplate nested = new TransactionTemplate(this.transactionManager);
		nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		nested.executeWithoutResult((status) -> {
			this.events.publishEvent(new OrderCancelled("o-1"));
			status.setRollbackOnly();
		});
		this.publisher.publish("audit", "o-1", Map.of("action", "placed"));
		assertThat(this.outboxEvents.recorded()).extracting(RecordedOutboxEvent::topic)
			.containsExactly("orders", "audit");
		assertThat(this.outboxEvents).hasRecordedInOrder("o-1", new OrderPlaced("o-1", 1))
			.hasNotRecorded(OrderCancelled.class);
	}

}
