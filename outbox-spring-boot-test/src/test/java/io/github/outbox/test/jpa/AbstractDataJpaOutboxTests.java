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
package io.github.outbox.test.jpa;

import java.time.Duration;
import java.util.UUID;

import io.github.outbox.test.AutoConfigureOutbox;
import io.github.outbox.test.OutboxTestEvents;
import io.github.outbox.test.jpa.Purchase.PurchaseMade;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static io.github.outbox.test.OutboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @DataJpaTest} with {@link AutoConfigureOutbox}: a {@link JpaTransactionManager},
 * test-managed transactions that roll back, no Kafka and no relay.
 */
@DataJpaTest(properties = "spring.jpa.hibernate.ddl-auto=create-drop")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@AutoConfigureOutbox
@DirtiesContext
abstract class AbstractDataJpaOutboxTests {

	@Autowired
	private PurchaseRepository purchases;

	@Autowired
	private OutboxTestEvents outboxEvents;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Test
	void showsTheDomainEventsOfTheTestsOwnTransaction() {
		assertThat(this.transactionManager).isInstanceOf(JpaTransactionManager.class);
		String id = UUID.randomUUID().toString();
		this.purchases.save(new Purchase(id, 7));
		assertThat(this.outboxEvents.recorded(PurchaseMade.class)).containsExactly(new PurchaseMade(id, 7));
		assertThat(this.outboxEvents.recorded()).singleElement().satisfies((event) -> {
			assertThat(event.committed()).isFalse();
			assertThat(event.topic()).isEqualTo("purchases");
		});
		assertThat(this.outboxEvents).hasRecorded(PurchaseMade.class, (event) -> event.amount() == 7);
	}

	@Test
	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	void recordsCommittedEventsWithTheirSequenceAndNeverThoseRolledBack() {
		String id = UUID.randomUUID().toString();
		TransactionTemplate transactions = new TransactionTemplate(this.transactionManager);
		transactions.executeWithoutResult((status) -> this.purchases.save(new Purchase(id, 3)));
		transactions.executeWithoutResult((status) -> {
			this.purchases.save(new Purchase(UUID.randomUUID().toString(), 4));
			status.setRollbackOnly();
		});
		assertThat(this.outboxEvents.recorded()).singleElement().satisfies((event) -> {
			assertThat(event.committed()).isTrue();
			assertThat(event.key()).isEqualTo(id);
			assertThat(event.sequence()).isEqualTo(1L);
		});
		assertThat(this.outboxEvents).hasRecordedInOrder(id, new PurchaseMade(id, 3));
	}

	@Test
	void awaitRelayedSaysThatThereIsNoRelay() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.outboxEvents.awaitRelayed(Duration.ofSeconds(1)))
			.withMessageContaining("has none")
			.withMessageContaining("assert on recorded() instead");
	}

	@Test
	void failureMessagesListWhatWasRecorded() {
		String id = UUID.randomUUID().toString();
		this.purchases.save(new Purchase(id, 5));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(
					() -> assertThat(this.outboxEvents).hasRecorded(PurchaseMade.class, (event) -> event.amount() == 6))
			.withMessageContaining("Expected an outbox event of type " + PurchaseMade.class.getName()
					+ " matching the condition to be recorded, but 1 outbox event(s) were recorded:")
			.withMessageContaining("topic=purchases key=" + id);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.outboxEvents).hasNotRecorded(PurchaseMade.class))
			.withMessageContaining("\"purchaseId\":\"" + id + "\"");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.outboxEvents).hasRecordedInOrder(id, new PurchaseMade(id, 6)))
			.withMessageContaining("to be, in this order:")
			.withMessageContaining("PurchaseMade[purchaseId=" + id + ", amount=5]");
	}

}
