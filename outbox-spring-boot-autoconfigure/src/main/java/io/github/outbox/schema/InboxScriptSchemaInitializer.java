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

import javax.sql.DataSource;

import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Creates the inbox tables with the SQL scripts shipped in this jar, one per database
 * ({@code inbox-<platform>.sql}), for applications without Liquibase: the same schema as
 * the changelog of {@link InboxSchemaInitializer}, created where it does not exist yet.
 *
 * @author Outbox contributors
 */
public class InboxScriptSchemaInitializer extends AbstractSchemaInitializer {

	/**
	 * Location of the scripts.
	 */
	public static final String SCRIPT = "classpath:io/github/outbox/schema/inbox-@@platform@@.sql";

	/**
	 * Name of the inbox table in the scripts, replaced by the configured one.
	 */
	public static final String SCRIPT_TABLE = "outbox_inbox";

	private final String table;

	private final ResourceLoader resourceLoader;

	/**
	 * Create an instance.
	 * @param dataSource the data source of the inbox tables
	 * @param table the name of the inbox table
	 * @param resourceLoader the loader of the scripts
	 */
	public InboxScriptSchemaInitializer(DataSource dataSource, String table, ResourceLoader resourceLoader) {
		super(dataSource);
		Assert.hasText(table, "'table' must not be empty");
		Assert.notNull(resourceLoader, "'resourceLoader' must not be null");
		this.table = table;
		this.resourceLoader = resourceLoader;
	}

	@Override
	protected void initialize() {
		new SchemaScripts(getDataSource(), this.resourceLoader).run(SCRIPT, SCRIPT_TABLE, this.table);
	}

}
