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

import java.util.Set;

import javax.sql.DataSource;

import io.github.outbox.store.OutboxTableLayout;
import io.github.outbox.store.OutboxTables;

import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Creates the outbox tables with the SQL scripts shipped in this jar, one per database
 * ({@code outbox-<platform>.sql}, {@code outbox-debezium-<platform>.sql}), for
 * applications without Liquibase. The scripts create what does not exist yet
 * ({@code CREATE TABLE IF NOT EXISTS}) and give the same schema as the Liquibase
 * changelogs of {@link OutboxSchemaInitializer}; they can also be copied into an
 * application's own migrations. Runs after the application's own database initialization
 * (see {@link OutboxDependsOnDatabaseInitializationDetector}).
 *
 * @author Outbox contributors
 */
public class OutboxScriptSchemaInitializer extends AbstractSchemaInitializer {

	/**
	 * Location of the scripts of the embedded relay's layout.
	 */
	public static final String SCRIPT = "classpath:io/github/outbox/schema/outbox-@@platform@@.sql";

	/**
	 * Location of the scripts of the layout of Debezium's outbox event router.
	 */
	public static final String DEBEZIUM_SCRIPT = "classpath:io/github/outbox/schema/outbox-debezium-@@platform@@.sql";

	/**
	 * Location of the script of the index that the purge of kept rows of the Debezium
	 * layout needs ({@code outbox.retention.published}).
	 */
	public static final String DEBEZIUM_CREATED_INDEX_SCRIPT = "classpath:io/github/outbox/schema/"
			+ "outbox-debezium-created-index.sql";

	/**
	 * Name of the event table in the scripts, replaced by the configured one.
	 */
	public static final String SCRIPT_TABLE = "outbox_event";

	private static final String DEBEZIUM_COLUMN = "aggregatetype";

	private final OutboxTables tables;

	private final OutboxTableLayout layout;

	private final ResourceLoader resourceLoader;

	private boolean keepRows;

	/**
	 * Create an instance.
	 * @param dataSource the data source of the outbox tables
	 * @param tables the outbox tables
	 * @param layout the layout of the event table
	 * @param resourceLoader the loader of the scripts
	 */
	public OutboxScriptSchemaInitializer(DataSource dataSource, OutboxTables tables, OutboxTableLayout layout,
			ResourceLoader resourceLoader) {
		super(dataSource);
		Assert.notNull(tables, "'tables' must not be null");
		Assert.notNull(layout, "'layout' must not be null");
		Assert.notNull(resourceLoader, "'resourceLoader' must not be null");
		this.tables = tables;
		this.layout = layout;
		this.resourceLoader = resourceLoader;
	}

	/**
	 * Set whether rows of the Debezium layout are kept after their transaction
	 * ({@code outbox.retention.published}), which needs an index on their creation time.
	 * @param keepRows whether rows are kept
	 */
	public void setKeepRows(boolean keepRows) {
		this.keepRows = keepRows;
	}

	@Override
	protected void initialize() {
		SchemaScripts scripts = new SchemaScripts(getDataSource(), this.resourceLoader);
		String table = this.tables.events();
		checkLayoutOfExistingTable(scripts.columns(table));
		if (this.layout == OutboxTableLayout.DEBEZIUM) {
			scripts.run(DEBEZIUM_SCRIPT, SCRIPT_TABLE, table);
			if (this.keepRows && !scripts.hasIndex(table, table + "_created_idx")) {
				scripts.run(DEBEZIUM_CREATED_INDEX_SCRIPT, SCRIPT_TABLE, table);
			}
		}
		else {
			scripts.run(SCRIPT, SCRIPT_TABLE, table);
		}
	}

	/**
	 * An event table of the other layout is left as it is by the scripts, and events
	 * would be written where nobody relays them: stop instead.
	 */
	private void checkLayoutOfExistingTable(Set<String> columns) {
		if (columns.isEmpty()) {
			return;
		}
		String table = this.tables.events();
		boolean debezium = columns.contains(DEBEZIUM_COLUMN);
		Assert.state(debezium || this.layout != OutboxTableLayout.DEBEZIUM, () -> "Table " + table
				+ " exists already, in the embedded relay's layout (outbox.table-layout=relay). Let the embedded relay "
				+ "drain it, drop it and start again, keeping " + this.tables.sequences()
				+ " so that the sequences of your keys go on; see 'Migrating from the embedded relay' in docs/cdc.md");
		Assert.state(!debezium || this.layout == OutboxTableLayout.DEBEZIUM, () -> "Table " + table
				+ " exists already, in the layout of Debezium's outbox event router (outbox.table-layout=debezium): "
				+ "set outbox.table-layout=debezium, or give the embedded relay another outbox.table-name");
	}

}
