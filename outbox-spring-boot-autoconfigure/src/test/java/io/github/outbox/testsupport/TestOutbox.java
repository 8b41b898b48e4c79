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

package io.github.outbox.testsupport;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.outbox.schema.OutboxSchemaInitializer;
import io.github.outbox.store.OutboxDialect;
import io.github.outbox.store.OutboxLanes;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxTables;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox tables in a fresh test database, with a store over them, for tests of the
 * library's parts without an application context.
 */
public final class TestOutbox implements AutoCloseable {

	private final TestDatabase database;

	private final DataSource dataSource;

	private final OutboxStore store;

	private final OutboxLanes lanes;

	private TestOutbox(TestDatabase database) throws Exception {
		this.database = database;
		this.dataSource = new SimpleDriverDataSource(java.sql.DriverManager.getDriver(database.url()), database.url(),
				database.springProperties()[1].substring("spring.datasource.username=".length()),
				database.springProperties()[2].substring("spring.datasource.password=".length()));
		OutboxTables tables = OutboxTables.of("outbox_event");
		new OutboxSchemaInitializer(this.dataSource, tables, new DefaultResourceLoader()).afterPropertiesSet();
		this.store = new OutboxStore(this.dataSource, OutboxDialect.of(this.dataSource), tables,
				OutboxStore.Settings.lanes(8));
		this.lanes = new OutboxLanes(this.dataSource, tables, 8);
	}

	public static TestOutbox create(TestDatabase.Kind kind) throws Exception {
		return new TestOutbox(TestDatabase.create(kind));
	}

	public TestDatabase database() {
		return this.database;
	}

	public DataSource dataSource() {
		return this.dataSource;
	}

	public OutboxStore store() {
		return this.store;
	}

	public OutboxLanes lanes() {
		return this.lanes;
	}

	public OutboxStore store(boolean deadEventsBlockTheirKey) {
		return new OutboxStore(this.dataSource, this.store.getDialect(), this.store.getTables(),
				OutboxStore.Settings.lanes(8).deadEventsBlockingTheirKey(deadEventsBlockTheirKey));
	}

	public OutboxStore keepingPublished() {
		return new OutboxStore(this.dataSource, this.store.getDialect(), this.store.getTables(),
				OutboxStore.Settings.lanes(8).keepingPublished(true));
	}

	public JdbcTemplate jdbc() {
		return new JdbcTemplate(this.dataSource);
	}

	public TransactionTemplate transactions() {
		return new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
	}

	/**
	 * Write one event per given key, in one transaction, in the given order.
	 */
	public void write(String... keys) {
		transactions().executeWithoutResult((status) -> this.store.insert(java.util.Arrays.stream(keys)
			.map((key) -> new OutboxMessage(UUID.randomUUID(), "topic", key, "test", key.getBytes(), Map.of(),
					Instant.now()))
			.toList()));
	}

	public List<Map<String, Object>> rows() {
		return jdbc().queryForList(
				"SELECT id, event_key, attempts, next_attempt_at, last_error, dead_at FROM outbox_event ORDER BY id");
	}

	@Override
	public void close() {
		this.database.close();
	}

}
