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

package io.github.outbox.capture;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outbox.OutboxEvent;
import io.github.outbox.OutboxPublishException;
import io.github.outbox.jackson.JacksonOutboxSerializer;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OutboxCapture} on PostgreSQL.
 */
class OutboxCaptureTests {

	private final AtomicInteger committed = new AtomicInteger();

	@Test
	void whenOwnTransactionIsChosenThenEventOutsideTransactionIsWrittenAtOnce() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.OWN_TRANSACTION);
			capture.publish(new Shipped("s-1"));
			assertThat(outbox.rows()).singleElement().satisfies((row) -> assertThat(row).containsEntry("event_key", "s-1"));
			assertThat(this.committed).hasValue(1);
		}
	}

	@Test
	void whenTransactionBelongsToAnotherDataSourceThenPublishingFails() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			SimpleDriverDataSource other = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:other");
			TransactionTemplate otherTransactions = new TransactionTemplate(new DataSourceTransactionManager(other));
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> otherTransactions.executeWithoutResult((status) -> capture.publish(new Shipped("s-2"))))
				.withMessageContaining("does not manage the outbox DataSource");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@Test
	void whenEventIsPublishedWhileTransactionCompletesThenPublishingFails() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions().executeWithoutResult((status) -> {
					capture.publish(new Shipped("s-3"));
					org.springframework.transaction.support.TransactionSynchronizationManager
						.registerSynchronization(new org.springframework.transaction.support.TransactionSynchronization() {

							@Override
							public void beforeCommit(boolean readOnly) {
								// runs after the outbox's own beforeCommit, which was registered first
								capture.publish(new Shipped("s-4"));
							}

						});
				}))
				.withMessageContaining("already written");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@Test
	void whenSerializationFailsThenPublishingFailsWithTheCause() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = new OutboxCapture(outbox.store(), outbox.dataSource(), (event) -> {
				throw new IllegalArgumentException("not serializable");
			}, new OutboxEventDescriptors(new MockEnvironment().withProperty("topics.shipping", "shipping")),
					OutsideTransaction.FAIL, (messages) -> {
			}, Clock.systemUTC());
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions().executeWithoutResult((status) -> capture.publish(new Shipped("s-5"))))
				.withMessageContaining("Cannot serialize")
				.withMessageContaining("not serializable");
		}
	}

	@Test
	void whenKeyIsTooLongThenPublishingFails() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions()
					.executeWithoutResult((status) -> capture.publish(new Shipped("x".repeat(256)))))
				.withMessageContaining("longer than 255");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	private OutboxCapture capture(TestOutbox outbox, OutsideTransaction outsideTransaction) {
		return new OutboxCapture(outbox.store(), outbox.dataSource(), new JacksonOutboxSerializer(JsonMapper.shared()),
				new OutboxEventDescriptors(new MockEnvironment().withProperty("topics.shipping", "shipping")),
				outsideTransaction, (messages) -> this.committed.addAndGet(messages.size()), Clock.systemUTC());
	}

	@OutboxEvent(topic = "${topics.shipping}", key = "shipmentId")
	record Shipped(String shipmentId) {

	}

}
