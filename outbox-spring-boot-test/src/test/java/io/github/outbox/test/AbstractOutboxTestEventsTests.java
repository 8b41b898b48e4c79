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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.test.TestApplication.OrderCancelled;
import io.github.outbox.test.TestApplication.OrderPlaced;
import io.github.outbox.test.testsupport.TestKafka;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static io.github.outbox.test.OutboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link OutboxTestEvents} in a {@code @SpringBootTest} of an application with a
 * {@link DataSourceTransactionManager} and the relay on, sending to a real broker that
 * does not create topics on demand.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
		"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
				+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
		"spring.application.name=orders-test", "outbox.relay.poll-interval=10m",
		"outbox.kafka.producer.max.block.ms=1000" })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractOutboxTestEventsTests {

	private static final String TOPIC = TestKafka.createTopic("orders");

	@Autowired
	private OutboxTestEvents outboxEvents;

	@Autowired
	private Orders orders;

	@Autowired
	private OutboxPublisher publisher;

	@Autowired
	private PlatformTransactionManager transactionManager;

	@Autowired
	private JdbcTemplate jdbc;

	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
		registry.add("test.topic", () -> TOPIC);
	}

	@Test
	@Order(1)
	void recordsCommittedEventsInCommitOrderWithTheirHeadersAndPayload() {
		assertThat(this.transactionManager).isInstanceOf(DataSourceTransactionManager.class);
		String first = uniqueKey();
		String second = uniqueKey();
		this.orders.place(first, 10);
		this.orders.place(second, 20);
		this.orders.cancel(first);
		List<RecordedOutboxEvent> recorded = this.outboxEvents.recorded();
		assertThat(recorded).extracting(RecordedOutboxEvent::key).containsExactly(first, second, first);
		assertThat(recorded).extracting(RecordedOutboxEvent::sequence).containsExactly(1L, 1L, 2L);
		assertThat(recorded).allSatisfy((event) -> {
			assertThat(event.committed()).isTrue();
			assertThat(event.topic()).isEqualTo(TOPIC);
			assertThat(event.headers()).containsEntry("ce_id", event.eventId().toString())
				.containsEntry("ce_source", "orders-test")
				.containsEntry("ce_specversion", "1.0")
				.containsEntry("content-type", "application/json")
				.containsKey("ce_time");
		});
		assertThat(recorded.get(0).type()).isEqualTo(OrderPlaced.class.getName());
		assertThat(recorded.get(0).payloadAsString()).isEqualTo("{\"orderId\":\"" + first + "\",\"amount\":10}");
		assertThat(recorded.get(2).headers()).containsEntry("ce_type", "order-cancelled");
		assertThat(this.outboxEvents.recorded(OrderPlaced.class)).containsExactly(new OrderPlaced(first, 10),
				new OrderPlaced(second, 20));
		assertThat(this.outboxEvents.recorded(OrderCancelled.class)).containsExactly(new OrderCancelled(first));
		assertThat(this.outboxEvents).hasRecorded(OrderPlaced.class, (event) -> event.amount() == 20)
			.hasRecordedInOrder(first, new OrderPlaced(first, 10), new OrderCancelled(first));
	}

	@Test
	@Order(2)
	void startsEachTestWithNothingRecorded() {
		assertThat(this.outboxEvents.recorded()).isEmpty();
	}

	@Test
	void neverRecordsEventsOfRolledBackTransactions() {
		String orderId = uniqueKey();
		assertThatIllegalStateException().isThrownBy(() -> this.orders.placeAndFail(orderId));
		assertThat(this.outboxEvents.recorded()).isEmpty();
		assertThat(this.outboxEvents).hasNotRecorded(OrderPlaced.class);
	}

	@Test
	void forgetsEventsOfARolledBackNestedSavepoint() {
		String orderId = uniqueKey();
		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
			this.orders.place(orderId, 30);
			assertThatIllegalStateException().isThrownBy(() -> this.orders.cancelAndFail(orderId));
			assertThat(this.outboxEvents.recorded()).singleElement()
				.satisfies((event) -> assertThat(event.committed()).isFalse());
		});
		assertThat(this.outboxEvents.recorded()).singleElement().satisfies((event) -> {
			assertThat(event.committed()).isTrue();
			assertThat(event.key()).isEqualTo(orderId);
		});
		assertThat(this.outboxEvents).hasNotRecorded(OrderCancelled.class);
	}

	@Test
	@Transactional
	void showsTheEventsOfTheTestsOwnTransactionWhichNeverCommits() {
		String orderId = uniqueKey();
		this.orders.place(orderId, 40);
		assertThatIllegalStateException().isThrownBy(() -> this.orders.cancelAndFail(orderId));
		assertThat(this.outboxEvents.recorded()).singleElement().satisfies((event) -> {
			assertThat(event.committed()).isFalse();
			assertThat(event.sequence()).isNull();
			assertThat(event.headers()).doesNotContainKey("ce_sequence").containsKey("ce_id");
		});
		assertThat(this.outboxEvents).hasRecorded(OrderPlaced.class, (event) -> event.orderId().equals(orderId))
			.hasNotRecorded(OrderCancelled.class);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.outboxEvents.awaitRelayed(Duration.ofSeconds(5)))
			.withMessageContaining("has not committed");
	}

	@Test
	void recordsEventsCommittedOnOtherThreads() {
		String orderId = uniqueKey();
		CompletableFuture.runAsync(() -> this.orders.place(orderId, 50)).join();
		assertThat(this.outboxEvents).hasRecorded(OrderPlaced.class, (event) -> event.orderId().equals(orderId));
	}

	@Test
	void awaitRelayedReturnsOnceTheBrokerAcknowledgedEveryEvent() {
		List<String> keys = List.of(uniqueKey(), uniqueKey(), uniqueKey());
		keys.forEach((key) -> this.orders.place(key, 60));
		this.outboxEvents.awaitRelayed(Duration.ofSeconds(30));
		assertThat(pendingRows()).isZero();
	}

	@Test
	void awaitRelayedNamesTheEventsItGaveUpOn() {
		String missingTopic = TestKafka.uniqueTopic("missing");
		String key = uniqueKey();
		new TransactionTemplate(this.transactionManager)
			.executeWithoutResult((status) -> this.publisher.publish(missingTopic, key, Map.of("orderId", key)));
		String eventId = this.outboxEvents.recorded().get(0).eventId().toString();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.outboxEvents.awaitRelayed(Duration.ofMillis(200)))
			.withMessageContaining("not acknowledged by the broker within PT0.2S")
			.withMessageContaining("pending: java.util.ImmutableCollections$Map1 topic=" + missingTopic + " key=" + key)
			.withMessageContaining("ce_id=" + eventId);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.outboxEvents.awaitRelayed(Duration.ofSeconds(30)))
			.withMessageContaining("are dead")
			.withMessageContaining("dead: java.util.ImmutableCollections$Map1 topic=" + missingTopic)
			.withMessageMatching("(?s).*last error: .*(not present in metadata|UnknownTopicOrPartition).*");
	}

	private int pendingRows() {
		Integer rows = this.jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE dead_at IS NULL",
				Integer.class);
		return (rows != null) ? rows : 0;
	}

	private static String uniqueKey() {
		return UUID.randomUUID().toString();
	}

}
