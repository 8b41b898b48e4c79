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

package io.github.outbox.inbox;

import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.outbox.schema.InboxSchemaInitializer;
import io.github.outbox.testsupport.TestDatabase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link Inbox} on each database: duplicates, rollbacks, stale events,
 * concurrent redeliveries and retention.
 */
class InboxTests {

	/**
	 * Keys and ids that MariaDB's and MySQL's default collations hold equal.
	 */
	static final List<String> LOOK_ALIKES = List.of("Case-x", "case-x", "CASE-x", "é", "e", "E", "k", "k ");

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void sameEventDeliveredThreeTimesIsAppliedOnce(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			InboxEvent event = new InboxEvent("e-1", "orders", "o-1", 1L);
			List<InboxOutcome> outcomes = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				outcomes.add(fixture.inbox.process("payments", event, () -> fixture.pay("e-1")));
			}
			assertThat(outcomes).containsExactly(InboxOutcome.PROCESSED, InboxOutcome.DUPLICATE,
					InboxOutcome.DUPLICATE);
			assertThat(fixture.payments()).containsExactly("e-1");
			assertThat(fixture.handled).containsExactly("payments/e-1/PROCESSED", "payments/e-1/DUPLICATE",
					"payments/e-1/DUPLICATE");
			// another consumer has an inbox of its own
			assertThat(fixture.inbox.process("shipping", event, () -> {
			})).isEqualTo(InboxOutcome.PROCESSED);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void rolledBackSideEffectLeavesNoInboxRowAndTheRedeliveryIsProcessed(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			InboxEvent event = new InboxEvent("e-2", "orders", "o-2", 1L);
			assertThatIllegalStateException().isThrownBy(() -> fixture.inbox.process("payments", event, () -> {
				fixture.pay("e-2");
				throw new IllegalStateException("payment provider down");
			})).withMessage("payment provider down");
			assertThat(fixture.payments()).isEmpty();
			assertThat(fixture.store.count("payments")).isZero();
			assertThat(fixture.inbox.process("payments", event, () -> fixture.pay("e-2")))
				.isEqualTo(InboxOutcome.PROCESSED);
			assertThat(fixture.payments()).containsExactly("e-2");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void staleEventIsSkippedAndGapsAreReported(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			assertThat(fixture.inbox.process("payments", new InboxEvent("s-1", "orders", "k", 1L),
					() -> fixture.pay("s-1")))
				.isEqualTo(InboxOutcome.PROCESSED);
			assertThat(fixture.inbox.process("payments", new InboxEvent("s-4", "orders", "k", 4L),
					() -> fixture.pay("s-4")))
				.isEqualTo(InboxOutcome.PROCESSED);
			assertThat(fixture.gaps).containsExactly("payments/s-4/2");
			assertThat(fixture.inbox.process("payments", new InboxEvent("s-3", "orders", "k", 3L),
					() -> fixture.pay("s-3")))
				.isEqualTo(InboxOutcome.STALE);
			assertThat(fixture.payments()).containsExactly("s-1", "s-4");
			// other keys have sequences of their own
			assertThat(fixture.inbox.process("payments", new InboxEvent("t-1", "orders", "j", 1L),
					() -> fixture.pay("t-1")))
				.isEqualTo(InboxOutcome.PROCESSED);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void staleEventFailsWhenConfiguredAndLeavesNothing(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.FAIL)) {
			fixture.inbox.process("payments", new InboxEvent("f-2", "orders", "k", 2L), () -> fixture.pay("f-2"));
			assertThatExceptionOfType(StaleEventException.class)
				.isThrownBy(() -> fixture.inbox.process("payments", new InboxEvent("f-1", "orders", "k", 1L),
						() -> fixture.pay("f-1")))
				.withMessageContaining("sequence 1 of key 'k'")
				.satisfies((ex) -> assertThat(ex.getLastSequence()).isEqualTo(2));
			assertThat(fixture.payments()).containsExactly("f-2");
			assertThat(fixture.store.count("payments")).isOne();
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void idsAndKeysThatDifferOnlyInCaseAccentsOrTrailingSpacesAreDistinct(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			for (String key : LOOK_ALIKES) {
				assertThat(fixture.inbox.process("payments", new InboxEvent("id-" + key, "orders", key, 1L),
						() -> fixture.pay("id-" + key)))
					.as("first event of key '%s'", key)
					.isEqualTo(InboxOutcome.PROCESSED);
			}
			for (String key : LOOK_ALIKES) {
				assertThat(fixture.inbox.process("payments", new InboxEvent("id-" + key, "orders", key, 1L),
						() -> fixture.pay("id-" + key)))
					.as("redelivery of key '%s'", key)
					.isEqualTo(InboxOutcome.DUPLICATE);
				assertThat(fixture.inbox.process("payments", new InboxEvent("old-" + key, "orders", key, 1L),
						() -> fixture.pay("old-" + key)))
					.as("stale event of key '%s'", key)
					.isEqualTo(InboxOutcome.STALE);
			}
			assertThat(fixture.payments())
				.containsExactlyInAnyOrderElementsOf(LOOK_ALIKES.stream().map((key) -> "id-" + key).toList());
			assertThat(new JdbcTemplate(fixture.dataSource)
				.queryForList("SELECT event_key FROM outbox_inbox_sequence WHERE last_sequence = 1", String.class))
				.containsExactlyInAnyOrderElementsOf(LOOK_ALIKES);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void idOrKeyLongerThanItsColumnFailsAndIsNeverTruncated(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			String longest = "i".repeat(254);
			// two ids that a truncation to 255 characters would fold into one
			assertThat(fixture.inbox.process("payments", new InboxEvent(longest + "A", "orders", null, null),
					() -> fixture.pay("A")))
				.isEqualTo(InboxOutcome.PROCESSED);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fixture.inbox.process("payments",
						new InboxEvent(longest + "AB", "orders", null, null), () -> fixture.pay("AB")))
				.withMessageContaining("id has 256 characters")
				.withMessageContaining("at most 255");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> fixture.inbox.process("payments",
						new InboxEvent("k-long", "orders", "k".repeat(256), 1L), () -> fixture.pay("k-long")))
				.withMessageContaining("key has 256 characters")
				.withMessageContaining("at most 255");
			assertThat(fixture.payments()).containsExactly("A");
			assertThat(fixture.store.count("payments")).isOne();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = { "POSTGRESQL", "MARIADB" })
	void concurrentDeliveriesOfOneEventApplyItOnce(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			InboxEvent event = new InboxEvent("c-1", "orders", "o-3", 1L);
			CountDownLatch firstInside = new CountDownLatch(1);
			CountDownLatch releaseFirst = new CountDownLatch(1);
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				Future<InboxOutcome> first = executor.submit(() -> fixture.inbox.process("payments", event, () -> {
					fixture.pay("c-1");
					firstInside.countDown();
					awaitLatch(releaseFirst);
				}));
				assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
				// the second delivery waits for the first transaction, then finds its row
				Future<InboxOutcome> second = executor
					.submit(() -> fixture.inbox.process("payments", event, () -> fixture.pay("c-1")));
				await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !second.isDone());
				releaseFirst.countDown();
				assertThat(List.of(first.get(20, TimeUnit.SECONDS), second.get(20, TimeUnit.SECONDS)))
					.containsExactly(InboxOutcome.PROCESSED, InboxOutcome.DUPLICATE);
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(fixture.payments()).containsExactly("c-1");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void retentionPurgesOnlyOldRows(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			Instant now = Instant.parse("2026-06-01T12:00:00Z");
			for (int i = 0; i < 5; i++) {
				fixture.store.record("payments", new InboxEvent("old-" + i, "orders", null, null),
						now.minus(Duration.ofDays(8)));
			}
			fixture.store.record("payments", new InboxEvent("new", "orders", null, null),
					now.minus(Duration.ofDays(6)));
			InboxPurger purger = new InboxPurger(fixture.store, Duration.ofDays(7), Duration.ofMinutes(1), 2,
					Clock.fixed(now, ZoneOffset.UTC));
			assertThat(purger.purge()).isEqualTo(5);
			assertThat(new JdbcTemplate(fixture.dataSource).queryForList("SELECT event_id FROM outbox_inbox",
					String.class))
				.containsExactly("new");
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "H2")
	void eventIdAndSequenceComeFromTheHeaders(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 0, 7, "o-1", "{}");
			assertThatIllegalArgumentException().isThrownBy(() -> fixture.inbox.eventOf(record))
				.withMessageContaining("has no 'ce_id' header")
				.withMessageContaining("outbox.inbox.id-header");
			record.headers().add("ce_id", "abc".getBytes(StandardCharsets.UTF_8));
			record.headers().add("ce_sequence", "12".getBytes(StandardCharsets.UTF_8));
			assertThat(fixture.inbox.eventOf(record)).isEqualTo(new InboxEvent("abc", "orders", "o-1", 12L));
			record.headers().add("ce_sequence", "x".getBytes(StandardCharsets.UTF_8));
			assertThatIllegalArgumentException().isThrownBy(() -> fixture.inbox.eventOf(record))
				.withMessageContaining("not a number");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void byteArrayKeysOfRedeliveredRecordsShareOneGuardRow(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			byte[] binary = { (byte) 0xff, 0x00, (byte) 0xc3 };
			List<InboxOutcome> outcomes = new ArrayList<>();
			for (byte[] key : List.of("order-1".getBytes(StandardCharsets.UTF_8), binary)) {
				// each delivery deserializes the key into a new array
				for (String delivery : List.of("a:1", "a:1", "b:2", "c:1")) {
					String id = delivery.substring(0, 1) + "-" + key.length;
					long sequence = Long.parseLong(delivery.substring(2));
					outcomes.add(fixture.inbox.process("payments", record(key.clone(), id, sequence),
							() -> fixture.pay(id)));
				}
			}
			assertThat(outcomes).containsExactly(InboxOutcome.PROCESSED, InboxOutcome.DUPLICATE, InboxOutcome.PROCESSED,
					InboxOutcome.STALE, InboxOutcome.PROCESSED, InboxOutcome.DUPLICATE, InboxOutcome.PROCESSED,
					InboxOutcome.STALE);
			assertThat(new JdbcTemplate(fixture.dataSource)
				.queryForList("SELECT event_key FROM outbox_inbox_sequence WHERE last_sequence = 2", String.class))
				.containsExactlyInAnyOrder("order-1", "0xff00c3");
		}
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "H2")
	void keysAreEncodedStablyOrRejected(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			byte[] text = "kéy".getBytes(StandardCharsets.UTF_8);
			assertThat(fixture.inbox.eventOf(record(text, "e", 1)).key()).isEqualTo("kéy");
			assertThat(fixture.inbox.eventOf(record(new byte[] { 0x01, (byte) 0xfe }, "e", 1)).key())
				.isEqualTo("0x01fe");
			assertThat(fixture.inbox.eventOf(record(42L, "e", 1)).key()).isEqualTo("42");
			assertThat(fixture.inbox.eventOf(record(null, "e", 1)).key()).isNull();
			assertThatIllegalArgumentException().isThrownBy(() -> fixture.inbox.eventOf(record(new Object(), "e", 1)))
				.withMessageContaining("java.lang.Object")
				.withMessageContaining("InboxEventExtractor");
		}
	}

	private static ConsumerRecord<Object, String> record(Object key, String id, long sequence) {
		ConsumerRecord<Object, String> record = new ConsumerRecord<>("orders", 0, 0, key, "{}");
		record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
		record.headers().add("ce_sequence", Long.toString(sequence).getBytes(StandardCharsets.UTF_8));
		return record;
	}

	@ParameterizedTest
	@EnumSource(value = TestDatabase.Kind.class, names = "H2")
	void extractorTakesTheEventFromRecordsOfOtherProducers(TestDatabase.Kind kind) throws Exception {
		try (Fixture fixture = new Fixture(kind, StaleEventPolicy.SKIP)) {
			fixture.inbox
				.setEventExtractor((record) -> new InboxEvent("payload-" + record.value(), record.topic(), null, null));
			ConsumerRecord<String, String> record = new ConsumerRecord<>("legacy", 0, 3, null, "42");
			assertThat(fixture.inbox.eventOf(record)).isEqualTo(new InboxEvent("payload-42", "legacy", null, null));
			assertThat(fixture.inbox.process("payments", record, () -> fixture.pay("42")))
				.isEqualTo(InboxOutcome.PROCESSED);
			assertThat(fixture.inbox.process("payments", record, () -> fixture.pay("42")))
				.isEqualTo(InboxOutcome.DUPLICATE);
			assertThat(fixture.payments()).containsExactly("42");
		}
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static final class Fixture implements AutoCloseable {

		final TestDatabase database;

		final DataSource dataSource;

		final InboxStore store;

		final Inbox inbox;

		final List<String> handled = new CopyOnWriteArrayList<>();

		final List<String> gaps = new CopyOnWriteArrayList<>();

		Fixture(TestDatabase.Kind kind, StaleEventPolicy onStale) throws Exception {
			this.database = TestDatabase.create(kind);
			String[] properties = this.database.springProperties();
			this.dataSource = new SimpleDriverDataSource(DriverManager.getDriver(this.database.url()),
					this.database.url(), properties[1].substring(properties[1].indexOf('=') + 1),
					properties[2].substring(properties[2].indexOf('=') + 1));
			new InboxSchemaInitializer(this.dataSource, "outbox_inbox", new DefaultResourceLoader())
				.afterPropertiesSet();
			new JdbcTemplate(this.dataSource).execute("CREATE TABLE payment (event VARCHAR(100))");
			this.store = new InboxStore(this.dataSource, "outbox_inbox");
			this.inbox = new Inbox(this.store, new DataSourceTransactionManager(this.dataSource),
					new Inbox.Settings("ce_id", "ce_sequence", onStale), new InboxListener() {

						@Override
						public void handled(String consumer, InboxEvent event, InboxOutcome outcome) {
							Fixture.this.handled.add(consumer + "/" + event.id() + "/" + outcome);
						}

						@Override
						public void gap(String consumer, InboxEvent event, long missing) {
							Fixture.this.gaps.add(consumer + "/" + event.id() + "/" + missing);
						}

					}, Clock.systemUTC());
		}

		void pay(String event) {
			// runs inside the inbox's transaction, on its connection
			new JdbcTemplate(this.dataSource).update("INSERT INTO payment (event) VALUES (?)", event);
		}

		List<String> payments() {
			return new JdbcTemplate(this.dataSource).queryForList("SELECT event FROM payment", String.class);
		}

		@Override
		public void close() {
			this.database.close();
		}

	}

}
