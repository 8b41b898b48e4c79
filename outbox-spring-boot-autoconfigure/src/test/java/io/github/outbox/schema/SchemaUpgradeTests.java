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

package io.github.outbox.schema;

import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.outbox.inbox.Inbox;
import io.github.outbox.inbox.InboxEvent;
import io.github.outbox.inbox.InboxListener;
import io.github.outbox.inbox.InboxOutcome;
import io.github.outbox.inbox.InboxStore;
import io.github.outbox.inbox.StaleEventPolicy;
import io.github.outbox.store.OutboxDialect;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxTables;
import io.github.outbox.testsupport.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables created by the first version of the changelogs (a copy is kept in
 * {@code schema-v1/}) are brought up to date by the current ones, keeping their rows.
 */
class SchemaUpgradeTests {

	private static final String V1_OUTBOX = "classpath:schema-v1/outbox-changelog.xml";

	private static final String V1_INBOX = "classpath:schema-v1/inbox-changelog.xml";

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void tablesOfTheFirstVersionCompareKeysAndIdsByteForByteAfterTheUpgrade(TestDatabase.Kind kind) throws Exception {
		try (TestDatabase database = TestDatabase.create(kind)) {
			DataSource dataSource = dataSource(database);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			DefaultResourceLoader resourceLoader = new DefaultResourceLoader();
			OutboxSchemaInitializer.apply(dataSource, resourceLoader, V1_OUTBOX,
					OutboxSchemaInitializer.TABLE_PARAMETER, "outbox_event");
			OutboxSchemaInitializer.apply(dataSource, resourceLoader, V1_INBOX, InboxSchemaInitializer.TABLE_PARAMETER,
					"outbox_inbox");
			jdbc.update("INSERT INTO outbox_event_sequence (topic, event_key, last_sequence)"
					+ " VALUES ('orders', 'Case-x', 3)");
			jdbc.update("INSERT INTO outbox_inbox_sequence (consumer, topic, event_key, last_sequence)"
					+ " VALUES ('payments', 'orders', 'Case-x', 3)");

			OutboxTables tables = OutboxTables.of("outbox_event");
			new OutboxSchemaInitializer(dataSource, tables, resourceLoader).afterPropertiesSet();
			new InboxSchemaInitializer(dataSource, "outbox_inbox", resourceLoader).afterPropertiesSet();

			if (kind == TestDatabase.Kind.MARIADB) {
				assertThat(jdbc.queryForList("SELECT id FROM outbox_event_changelog", String.class))
					.contains("outbox-3-bytewise-keys");
				assertThat(jdbc.queryForList("SELECT id FROM outbox_inbox_changelog", String.class))
					.contains("inbox-2-bytewise-keys");
				assertThat(jdbc.queryForList(
						"SELECT CONCAT(table_name, '.', column_name, ' ', collation_name, ' ', is_nullable) FROM information_schema.columns"
								+ " WHERE table_schema = DATABASE() AND column_name IN ('consumer', 'event_id', 'topic', 'event_key') ORDER BY 1",
						String.class))
					.containsExactly("outbox_event.event_id utf8mb4_nopad_bin NO",
							"outbox_event.event_key utf8mb4_nopad_bin YES", "outbox_event.topic utf8mb4_nopad_bin NO",
							"outbox_event_sequence.event_key utf8mb4_nopad_bin NO",
							"outbox_event_sequence.topic utf8mb4_nopad_bin NO",
							"outbox_inbox.consumer utf8mb4_nopad_bin NO", "outbox_inbox.event_id utf8mb4_nopad_bin NO",
							"outbox_inbox.event_key utf8mb4_nopad_bin YES", "outbox_inbox.topic utf8mb4_nopad_bin NO",
							"outbox_inbox_sequence.consumer utf8mb4_nopad_bin NO",
							"outbox_inbox_sequence.event_key utf8mb4_nopad_bin NO",
							"outbox_inbox_sequence.topic utf8mb4_nopad_bin NO");
			}
			TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
			OutboxStore store = new OutboxStore(dataSource, OutboxDialect.of(dataSource), tables,
					OutboxStore.Settings.lanes(8));
			for (String key : List.of("case-x", "Case-x", "k", "k ")) {
				transactions.executeWithoutResult((status) -> store.insert(List.of(new OutboxMessage(UUID.randomUUID(),
						"orders", key, "test", new byte[] { 1 }, Map.of(), Instant.now()))));
			}
			assertThat(jdbc.queryForList("SELECT event_key, last_sequence FROM outbox_event_sequence"))
				.extracting((row) -> row.get("event_key") + "=" + row.get("last_sequence"))
				.containsExactlyInAnyOrder("Case-x=4", "case-x=1", "k=1", "k =1");

			Inbox inbox = new Inbox(new InboxStore(dataSource, "outbox_inbox"), transactions.getTransactionManager(),
					new Inbox.Settings("ce_id", "ce_sequence", StaleEventPolicy.SKIP), new InboxListener() {
					}, Clock.systemUTC());
			assertThat(inbox.process("payments", new InboxEvent("Id-1", "orders", "case-x", 1L), () -> {
			})).isEqualTo(InboxOutcome.PROCESSED);
			assertThat(inbox.process("payments", new InboxEvent("id-1", "orders", "Case-x", 4L), () -> {
			})).isEqualTo(InboxOutcome.PROCESSED);
			assertThat(inbox.process("payments", new InboxEvent("id-2", "orders", "Case-x", 2L), () -> {
			})).isEqualTo(InboxOutcome.STALE);
		}
	}

	private static DataSource dataSource(TestDatabase database) throws Exception {
		String[] properties = database.springProperties();
		return new SimpleDriverDataSource(DriverManager.getDriver(database.url()), database.url(),
				properties[1].substring(properties[1].indexOf('=') + 1),
				properties[2].substring(properties[2].indexOf('=') + 1));
	}

}
