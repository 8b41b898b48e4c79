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

package io.github.outbox.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.testsupport.TcpProxy;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for writing events with {@link OutboxStore#insert(List)}: one statement on
 * PostgreSQL, separate statements elsewhere and for large writes, with the same result.
 */
class OutboxStoreTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void eventsOfAKeyAreNumberedConsecutivelyInPublicationOrder(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			List<OutboxMessage> first = messages("a", "b", null, "a", "a", "b", null);
			List<OutboxMessage> second = messages("b", null, "a", "c");
			outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(first));
			outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(second));
			List<OutboxMessage> all = new ArrayList<>(first);
			all.addAll(second);
			assertWritten(outbox, all, 0);
			assertThat(sequences(outbox)).containsExactly(1L, 1L, null, 2L, 3L, 2L, null, 3L, null, 4L, 1L);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void transactionsOfOneEventContinueTheSequencesOfTheirKeys(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			List<OutboxMessage> all = new ArrayList<>();
			for (List<OutboxMessage> transaction : List.of(messages("a"), messages("a", "b"), messages("b"),
					messages((String) null), messages("a"), messages("c"))) {
				outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(transaction));
				all.addAll(transaction);
			}
			assertWritten(outbox, all, 0);
			assertThat(sequences(outbox)).containsExactly(1L, 2L, 1L, 2L, null, 3L, 1L);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void writeLargerThanOneStatementIsNumberedTheSame(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("k0", "k1");
			String[] keys = new String[2500];
			for (int i = 0; i < keys.length; i++) {
				keys[i] = (i % 10 == 9) ? null : "k" + (i % 7);
			}
			List<OutboxMessage> messages = messages(keys);
			outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(messages));
			assertWritten(outbox, messages, 2);
			Map<String, Long> last = new HashMap<>(Map.of("k0", 1L, "k1", 1L));
			List<Long> expected = new ArrayList<>();
			for (String key : keys) {
				expected.add((key != null) ? last.merge(key, 1L, Long::sum) : null);
			}
			assertThat(sequences(outbox).subList(2, 2 + keys.length)).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void relaysAreNotifiedOnlyAfterCommit() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL)) {
			// LISTEN and NOTIFY fold an unquoted name to lower case, pg_notify does not
			OutboxTables tables = OutboxTables.of("Mixed_Case_Outbox");
			outbox.jdbc().execute("CREATE TABLE " + tables.events() + " (LIKE outbox_event INCLUDING ALL)");
			outbox.jdbc().execute("CREATE TABLE " + tables.sequences() + " (LIKE outbox_event_sequence INCLUDING ALL)");
			OutboxStore store = new OutboxStore(outbox.dataSource(), outbox.store().getDialect(), tables,
					OutboxStore.Settings.lanes(8).notifyingInTransaction(true));
			try (Connection listening = outbox.dataSource().getConnection();
					Statement statement = listening.createStatement()) {
				statement.execute("LISTEN " + tables.events());
				PGConnection connection = listening.unwrap(PGConnection.class);
				for (int count : new int[] { 3, 1500 }) {
					outbox.transactions().executeWithoutResult((status) -> {
						store.insert(messages(new String[count]));
						assertThat(notifications(connection, 200)).isEmpty();
					});
					assertThat(notifications(connection, 5000)).singleElement()
						.satisfies((notification) -> assertThat(notification.getName())
							.isEqualTo(tables.events().toLowerCase(Locale.ROOT)));
				}
				outbox.transactions().executeWithoutResult((status) -> {
					store.insert(messages("rolled back"));
					status.setRollbackOnly();
				});
				assertThat(notifications(connection, 500)).isEmpty();
			}
		}
	}

	@Test
	void relayReadsPayloadsAtTheirSizeFromTheFirstReadOnAConnection() throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.POSTGRESQL);
				TcpProxy proxy = outbox.database().proxy()) {
			byte[] payload = new byte[4000];
			new Random(42).nextBytes(payload);
			List<OutboxMessage> messages = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				messages.add(new OutboxMessage(UUID.randomUUID(), "topic", "key-" + i, "test", payload, Map.of(),
						Instant.now()));
			}
			outbox.transactions().executeWithoutResult((status) -> outbox.store().insert(messages));
			// a connection of its own, new: the driver has not run the read on it before
			SingleConnectionDataSource proxied = new SingleConnectionDataSource(outbox.database().connect(proxy), true);
			try {
				OutboxStore store = new OutboxStore(proxied, outbox.store().getDialect(), outbox.store().getTables(),
						OutboxStore.Settings.lanes(8));
				long before = proxy.bytesFromTarget();
				List<OutboxRecord> records = store.fetch(null, Instant.now().plusSeconds(60), 100);
				long received = proxy.bytesFromTarget() - before;
				assertThat(records).hasSize(10).allSatisfy((record) -> assertThat(record.payload()).isEqualTo(payload));
				// as text, each payload would come as hexadecimal, twice its size
				assertThat(received).isLessThan(payload.length * 10 * 3 / 2);
			}
			finally {
				proxied.destroy();
			}
		}
	}

	private static List<OutboxMessage> messages(String... keys) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return Arrays.stream(keys)
			.map((key) -> new OutboxMessage(UUID.randomUUID(), "topic", key, "test", new byte[] { 1, 2, 3 },
					Map.of("h", "v"), now))
			.toList();
	}

	private static void assertWritten(TestOutbox outbox, List<OutboxMessage> messages, int offset) {
		List<OutboxRecord> records = outbox.store().fetch(null, Instant.now().plusSeconds(60), 10_000);
		assertThat(records).hasSize(offset + messages.size());
		for (int i = 0; i < messages.size(); i++) {
			OutboxMessage message = messages.get(i);
			OutboxRecord record = records.get(offset + i);
			assertThat(record.eventId()).isEqualTo(message.eventId().toString());
			assertThat(record.key()).isEqualTo(message.key());
			assertThat(record.lane()).isEqualTo(Lanes.laneOf(message.key(), message.eventId(), 8));
			assertThat(record.payload()).containsExactly(message.payload());
			assertThat(record.headers()).isEqualTo(message.headers());
			assertThat(record.createdAt()).isEqualTo(message.createdAt());
			assertThat(record.attempts()).isZero();
		}
	}

	private static List<Long> sequences(TestOutbox outbox) {
		return outbox.store()
			.fetch(null, Instant.now().plusSeconds(60), 10_000)
			.stream()
			.map(OutboxRecord::sequence)
			.toList();
	}

	private static List<PGNotification> notifications(PGConnection connection, int millis) {
		try {
			PGNotification[] notifications = connection.getNotifications(millis);
			return (notifications != null) ? List.of(notifications) : List.of();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
