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

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Creates and updates the inbox tables with the starter's Liquibase changelog, recorded
 * in change log tables of its own ({@code <table>_changelog}).
 *
 * @author Outbox contributors
 */
public class InboxSchemaInitializer implements InitializingBean {

	/**
	 * Location of the changelog, for applications that include it in their own master
	 * changelog instead.
	 */
	public static final String CHANGELOG = "classpath:io/github/outbox/schema/inbox-changelog.xml";

	/**
	 * Changelog parameter holding the name of the inbox table.
	 */
	public static final String TABLE_PARAMETER = "inbox.table";

	private final DataSource dataSource;

	private final String table;

	private final ResourceLoader resourceLoader;

	private DatabaseInitializationMode mode = DatabaseInitializationMode.ALWAYS;

	/**
	 * Create an instance.
	 * @param dataSource the data source of the inbox tables
	 * @param table the name of the inbox table
	 * @param resourceLoader the loader of the changelog
	 */
	public InboxSchemaInitializer(DataSource dataSource, String table, ResourceLoader resourceLoader) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(table, "'table' must not be empty");
		this.dataSource = dataSource;
		this.table = table;
		this.resourceLoader = (resourceLoader != null) ? resourceLoader : new DefaultResourceLoader();
	}

	/**
	 * Set when to apply the changelog: {@code ALWAYS} (the default), {@code EMBEDDED}
	 * (only to an embedded database) or {@code NEVER}.
	 * @param mode the mode
	 */
	public void setMode(DatabaseInitializationMode mode) {
		Assert.notNull(mode, "'mode' must not be null");
		this.mode = mode;
	}

	@Override
	public void afterPropertiesSet() throws Exception {
		if (!InitializationModes.isEnabled(this.mode, this.dataSource)) {
			return;
		}
		OutboxSchemaInitializer.apply(this.dataSource, this.resourceLoader, CHANGELOG, TABLE_PARAMETER, this.table);
	}

}
