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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outbox.OutboxEvent;
import io.github.outbox.OutboxPublishException;
import io.github.outbox.jackson.JacksonOutboxSerializer;
import io.github.outbox.store.OutboxDialect;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxTables;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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
			assertThat(outbox.rows()).singleElement()
				.satisfies((row) -> assertThat(row).containsEntry("event_key", "s-1"));
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
				.isThrownBy(
						() -> otherTransactions.executeWithoutResult((status) -> capture.publish(new Shipped("s-2"))))
				.withMessageContaining("does not manage the outbox DataSource");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@Test
	void whenLaterSynchronizationPublishesBeforeCommitThenEventIsWrittenWithTheTransaction() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			outbox.transactions().executeWithoutResult((status) -> {
				capture.publish(new Shipped("s-3"));
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void beforeCommit(boolean readOnly) {
						// runs after the outbox's own beforeCommit, which was registered
						// first
						capture.publish(new Shipped("s-4"));
					}

				});
			});
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("s-3", "s-4");
			assertThat(this.committed).hasValue(2);
		}
	}

	@Test
	void whenEventIsPublishedAfterCommitThenPublishingFails() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions().executeWithoutResult((status) -> {
					TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

						@Override
						public void afterCommit() {
							capture.publish(new Shipped("s-6"));
						}

					});
					capture.publish(new Shipped("s-5"));
				}))
				.withMessageContaining("already written");
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("s-5");
		}
	}

	@Test
	void whenOwnTransactionIsChosenThenEventPublishedAfterCompletionIsWrittenInItsOwnTransaction() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.OWN_TRANSACTION);
			outbox.transactions().executeWithoutResult((status) -> {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCompletion(int status) {
						// where AFTER_COMMIT transactional event listeners run
						capture.publish(new Shipped("s-8"));
					}

				});
				capture.publish(new Shipped("s-7"));
			});
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("s-7", "s-8");
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
			assertThatExceptionOfType(OutboxPublishException.class).isThrownBy(
					() -> outbox.transactions().executeWithoutResult((status) -> capture.publish(new Shipped("s-5"))))
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

	@Test
	void whenTransactionRollsBackThenNothingIsInserted() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			AtomicInteger inserts = new AtomicInteger();
			OutboxStore store = new OutboxStore(outbox.dataSource(), OutboxDialect.of(outbox.dataSource()),
					OutboxTables.of("outbox_event"), OutboxStore.Settings.lanes(8)) {

				@Override
				public void insert(List<OutboxMessage> messages) {
					inserts.incrementAndGet();
					super.insert(messages);
				}

			};
			OutboxCapture capture = new OutboxCapture(store, outbox.dataSource(),
					new JacksonOutboxSerializer(JsonMapper.shared()),
					new OutboxEventDescriptors(new MockEnvironment().withProperty("topics.shipping", "shipping")),
					OutsideTransaction.FAIL, (messages) -> this.committed.addAndGet(messages.size()),
					Clock.systemUTC());
			assertThatIllegalStateException().isThrownBy(() -> outbox.transactions().executeWithoutResult((status) -> {
				capture.publish(new Shipped("s-14"));
				throw new IllegalStateException("business failure");
			}));
			outbox.transactions().executeWithoutResult((status) -> {
				capture.publish(new Shipped("s-15"));
				status.setRollbackOnly();
			});
			assertThat(inserts).hasValue(0);
			assertThat(this.committed).hasValue(0);
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "ce_id", "CE_Type", "ce_custom", "content-type", "Content-Type", "traceparent", "tracestate" })
	void whenHeaderIsReservedThenPublishingFails(String header) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions()
					.executeWithoutResult((status) -> capture.publish(new Shipped("s-9"), Map.of(header, "forged"))))
				.withMessageContaining("'" + header + "'")
				.withMessageContaining("reserved");
			assertThatExceptionOfType(OutboxPublishException.class).isThrownBy(() -> outbox.transactions()
				.executeWithoutResult(
						(status) -> capture.publish("shipping", "s-9", "plain", Map.of(header, "forged"))));
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@Test
	void whenHeaderValueIsNullThenPublishingFails() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			Map<String, String> headers = new HashMap<>();
			headers.put("tenant", null);
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions()
					.executeWithoutResult((status) -> capture.publish(new Shipped("s-10"), headers)))
				.withMessageContaining("'tenant'")
				.withMessageContaining("null value");
			assertThat(outbox.rows()).isEmpty();
		}
	}

	@Test
	void whenTopicIsInvalidForKafkaThenPublishingFails() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.FAIL);
			for (String topic : List.of("orders events", "orders/eu", "bestellungen-ü", ".", "..", "",
					"x".repeat(250))) {
				assertThatExceptionOfType(OutboxPublishException.class).as(topic)
					.isThrownBy(() -> outbox.transactions()
						.executeWithoutResult((status) -> capture.publish(topic, "s-11", "plain")))
					.withMessageContaining("Invalid topic");
			}
			OutboxCapture annotated = new OutboxCapture(outbox.store(), outbox.dataSource(),
					new JacksonOutboxSerializer(JsonMapper.shared()),
					new OutboxEventDescriptors(
							new MockEnvironment().withProperty("topics.shipping", "shipping events")),
					OutsideTransaction.FAIL, (messages) -> {
					}, Clock.systemUTC());
			assertThatExceptionOfType(OutboxPublishException.class)
				.isThrownBy(() -> outbox.transactions()
					.executeWithoutResult((status) -> annotated.publish(new Shipped("s-12"))))
				.withMessageContaining("Invalid topic 'shipping events'");
			outbox.transactions().executeWithoutResult((status) -> capture.publish("x".repeat(249), "s-13", "plain"));
			assertThat(outbox.rows()).hasSize(1);
		}
	}

	@Test
	void writeListenerSeesTheRowsInsideTheTransactionAndCurrentTransactionListsUnwrittenEvents() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			OutboxCapture capture = capture(outbox, OutsideTransaction.OWN_TRANSACTION);
			List<Integer> rowsSeen = new java.util.ArrayList<>();
			List<String> written = new java.util.ArrayList<>();
			capture.setWriteListener((messages) -> {
				messages.forEach((message) -> written.add(message.key()));
				rowsSeen.add(outbox.rows().size());
			});
			assertThat(capture.publishedInCurrentTransaction()).isEmpty();
			outbox.transactions().executeWithoutResult((status) -> {
				capture.publish(new Shipped("s-20"));
				capture.publish(new Shipped("s-21"));
				assertThat(capture.publishedInCurrentTransaction()).extracting(OutboxMessage::key)
					.containsExactly("s-20", "s-21");
				assertThat(written).isEmpty();
			});
			capture.publish(new Shipped("s-22"));
			assertThat(written).containsExactly("s-20", "s-21", "s-22");
			assertThat(rowsSeen).containsExactly(2, 3);
			assertThat(capture.publishedInCurrentTransaction()).isEmpty();
		}
	}

	@Test
	void jacksonSerializerReadsBackWhatItWrote() {
		JacksonOutboxSerializer serializer = new JacksonOutboxSerializer(JsonMapper.shared());
		assertThat(serializer.deserialize(serializer.serialize(new Shipped("s-23")), Shipped.class))
			.isEqualTo(new Shipped("s-23"));
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
