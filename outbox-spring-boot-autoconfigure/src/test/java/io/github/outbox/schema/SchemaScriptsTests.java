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

import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import io.github.outbox.store.OutboxTableLayout;
import io.github.outbox.store.OutboxTables;
import io.github.outbox.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The SQL scripts create the same schema as the Liquibase changelogs, compared through
 * the database's catalog after each path, and can run again on existing tables.
 */
class SchemaScriptsTests {

	private static final OutboxTables TABLES = OutboxTables.of("shop_outbox");

	private static final String INBOX_TABLE = "shop_inbox";

	private final ResourceLoader resourceLoader = new DefaultResourceLoader();

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void scriptsCreateTheTablesOfTheChangelogsInTheRelayLayout(TestDatabase.Kind kind) throws Exception {
		assertScriptsCreateTheTablesOfTheChangelogs(kind, OutboxTableLayout.RELAY, false);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void scriptsCreateTheTablesOfTheChangelogsInTheDebeziumLayout(TestDatabase.Kind kind) throws Exception {
		assertScriptsCreateTheTablesOfTheChangelogs(kind, OutboxTableLayout.DEBEZIUM, false);
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void scriptsCreateTheTablesOfTheChangelogsInTheDebeziumLayoutKeepingRows(TestDatabase.Kind kind) throws Exception {
		assertScriptsCreateTheTablesOfTheChangelogs(kind, OutboxTableLayout.DEBEZIUM, true);
	}

	private void assertScriptsCreateTheTablesOfTheChangelogs(TestDatabase.Kind kind, OutboxTableLayout layout,
			boolean keepRows) throws Exception {
		try (TestDatabase byChangelogs = TestDatabase.create(kind);
				TestDatabase byScripts = TestDatabase.create(kind)) {
			String changelogLocation = (layout == OutboxTableLayout.DEBEZIUM)
					? OutboxSchemaInitializer.DEBEZIUM_CHANGELOG : OutboxSchemaInitializer.CHANGELOG;
			OutboxSchemaInitializer changelog = new OutboxSchemaInitializer(byChangelogs.dataSource(), TABLES,
					this.resourceLoader, changelogLocation);
			changelog.setParameters(Map.of("outbox.keep-rows", Boolean.toString(keepRows)));
			changelog.afterPropertiesSet();
			new InboxSchemaInitializer(byChangelogs.dataSource(), INBOX_TABLE, this.resourceLoader)
				.afterPropertiesSet();
			// twice: the second run finds the tables and leaves them as they are
			runScripts(byScripts.dataSource(), layout, keepRows);
			runScripts(byScripts.dataSource(), layout, keepRows);

			List<String> expected = SchemaDescription.of(kind, byChangelogs.dataSource());
			assertThat(expected).map((line) -> line.toLowerCase(Locale.ROOT))
				.anyMatch((line) -> line.startsWith("column | shop_outbox_sequence | last_sequence"))
				.anyMatch((line) -> line.startsWith("column | shop_inbox | processed_at"))
				.anyMatch((line) -> line.startsWith("index | shop_inbox | shop_inbox_processed_idx"))
				.noneMatch((line) -> line.contains("outbox_event"));
			assertThat(SchemaDescription.of(kind, byScripts.dataSource())).isEqualTo(expected);
		}
	}

	private void runScripts(DataSource dataSource, OutboxTableLayout layout, boolean keepRows) throws Exception {
		OutboxScriptSchemaInitializer scripts = new OutboxScriptSchemaInitializer(dataSource, TABLES, layout,
				this.resourceLoader);
		scripts.setKeepRows(keepRows);
		scripts.afterPropertiesSet();
		new InboxScriptSchemaInitializer(dataSource, INBOX_TABLE, this.resourceLoader).afterPropertiesSet();
	}

	@Test
	void debeziumScriptsStopAtAnEventTableOfTheEmbeddedRelaysLayout() throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			new OutboxScriptSchemaInitializer(database.dataSource(), TABLES, OutboxTableLayout.RELAY,
					this.resourceLoader)
				.afterPropertiesSet();
			assertThatIllegalStateException()
				.isThrownBy(() -> new OutboxScriptSchemaInitializer(database.dataSource(), TABLES,
						OutboxTableLayout.DEBEZIUM, this.resourceLoader)
					.afterPropertiesSet())
				.withMessageContaining("Table shop_outbox exists already, in the embedded relay's layout")
				.withMessageContaining("keeping shop_outbox_sequence");
		}
	}

	@Test
	void relayScriptsStopAtAnEventTableOfTheDebeziumLayout() throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.MARIADB)) {
			new OutboxScriptSchemaInitializer(database.dataSource(), TABLES, OutboxTableLayout.DEBEZIUM,
					this.resourceLoader)
				.afterPropertiesSet();
			assertThatIllegalStateException()
				.isThrownBy(() -> new OutboxScriptSchemaInitializer(database.dataSource(), TABLES,
						OutboxTableLayout.RELAY, this.resourceLoader)
					.afterPropertiesSet())
				.withMessageContaining("in the layout of Debezium's outbox event router");
		}
	}

}
