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

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Creates and updates the inbox tables with the starter's Liquibase changelog, recorded
 * in change log tables of its own (the inbox table's name followed by
 * {@code _changelog}).
 *
 * @author Outbox contributors
 */
public class InboxSchemaInitializer extends AbstractSchemaInitializer {

	/**
	 * Location of the changelog, for applications that include it in their own master
	 * changelog instead.
	 */
	public static final String CHANGELOG = "classpath:io/github/outbox/schema/inbox-changelog.xml";

	/**
	 * Changelog parameter holding the name of the inbox table.
	 */
	public static final String TABLE_PARAMETER = "inbox.table";

	private final String table;

	private final ResourceLoader resourceLoader;

	/**
	 * Create an instance.
	 * @param dataSource the data source of the inbox tables
	 * @param table the name of the inbox table
	 * @param resourceLoader the loader of the changelog
	 */
	public InboxSchemaInitializer(DataSource dataSource, String table, ResourceLoader resourceLoader) {
		super(dataSource);
		Assert.hasText(table, "'table' must not be empty");
		this.table = table;
		this.resourceLoader = (resourceLoader != null) ? resourceLoader : new DefaultResourceLoader();
	}

	@Override
	protected void initialize() throws Exception {
		OutboxSchemaInitializer.apply(getDataSource(), this.resourceLoader, CHANGELOG, TABLE_PARAMETER, this.table);
	}

}
