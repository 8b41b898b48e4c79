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

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import io.github.outbox.store.OutboxTables;
import liquibase.exception.LiquibaseException;
import liquibase.exception.PreconditionFailedException;
import liquibase.integration.spring.SpringLiquibase;
import liquibase.precondition.FailedPrecondition;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.Assert;

/**
 * Creates and updates the outbox tables with the Liquibase changelog shipped in this jar.
 * The changelog runs with change log tables of its own and without registering a
 * {@link SpringLiquibase} bean, so the application's own Liquibase or Flyway migrations
 * are neither switched off nor mixed with it. It runs after them (see
 * {@link OutboxDependsOnDatabaseInitializationDetector}).
 *
 * @author Outbox contributors
 */
public class OutboxSchemaInitializer extends AbstractSchemaInitializer {

	/**
	 * Location of the changelog, for applications that include it in their own master
	 * changelog instead.
	 */
	public static final String CHANGELOG = "classpath:io/github/outbox/schema/outbox-changelog.xml";

	/**
	 * Location of the changelog of the layout of Debezium's outbox event router
	 * ({@code outbox.table-layout=debezium}).
	 */
	public static final String DEBEZIUM_CHANGELOG = "classpath:io/github/outbox/schema/outbox-debezium-changelog.xml";

	/**
	 * Changelog parameter holding the name of the event table.
	 */
	public static final String TABLE_PARAMETER = "outbox.table";

	private final OutboxTables tables;

	private final ResourceLoader resourceLoader;

	private final String changelog;

	private Map<String, String> parameters = Map.of();

	/**
	 * Create an instance that applies the changelog of the embedded relay's layout.
	 * @param dataSource the data source of the outbox tables
	 * @param tables the outbox tables
	 * @param resourceLoader the loader of the changelog
	 */
	public OutboxSchemaInitializer(DataSource dataSource, OutboxTables tables, ResourceLoader resourceLoader) {
		this(dataSource, tables, resourceLoader, CHANGELOG);
	}

	/**
	 * Create an instance.
	 * @param dataSource the data source of the outbox tables
	 * @param tables the outbox tables
	 * @param resourceLoader the loader of the changelog
	 * @param changelog the changelog of the table layout, {@link #CHANGELOG} or
	 * {@link #DEBEZIUM_CHANGELOG}
	 */
	public OutboxSchemaInitializer(DataSource dataSource, OutboxTables tables, ResourceLoader resourceLoader,
			String changelog) {
		super(dataSource);
		Assert.notNull(tables, "'tables' must not be null");
		Assert.hasText(changelog, "'changelog' must not be empty");
		this.tables = tables;
		this.resourceLoader = (resourceLoader != null) ? resourceLoader : new DefaultResourceLoader();
		this.changelog = changelog;
	}

	/**
	 * Set further changelog parameters, such as {@code outbox.keep-rows} of
	 * {@link #DEBEZIUM_CHANGELOG}.
	 * @param parameters the parameters
	 */
	public void setParameters(Map<String, String> parameters) {
		Assert.notNull(parameters, "'parameters' must not be null");
		this.parameters = Map.copyOf(parameters);
	}

	@Override
	protected void initialize() throws Exception {
		try {
			Map<String, String> parameters = new HashMap<>(this.parameters);
			parameters.put(TABLE_PARAMETER, this.tables.events());
			apply(getDataSource(), this.resourceLoader, this.changelog, this.tables.events(), parameters);
		}
		catch (LiquibaseException ex) {
			PreconditionFailedException failed = findPreconditionFailure(ex);
			if (failed == null) {
				throw ex;
			}
			// the changelog's own message says what to do; Liquibase's says
			// "Preconditions Failed"
			throw new IllegalStateException(failed.getFailedPreconditions()
				.stream()
				.map(FailedPrecondition::getMessage)
				.collect(Collectors.joining("; ")));
		}
	}

	private static @Nullable PreconditionFailedException findPreconditionFailure(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof PreconditionFailedException failed) {
				return failed;
			}
		}
		return null;
	}

	/**
	 * Apply a changelog of the starter, recording it in change log tables named after its
	 * main table.
	 */
	static void apply(DataSource dataSource, ResourceLoader resourceLoader, String changelog, String tableParameter,
			String table) throws Exception {
		apply(dataSource, resourceLoader, changelog, table, Map.of(tableParameter, table));
	}

	private static void apply(DataSource dataSource, ResourceLoader resourceLoader, String changelog, String table,
			Map<String, String> parameters) throws Exception {
		SpringLiquibase liquibase = new SpringLiquibase();
		liquibase.setDataSource(dataSource);
		liquibase.setResourceLoader(resourceLoader);
		liquibase.setChangeLog(changelog);
		liquibase.setDatabaseChangeLogTable(table + "_changelog");
		liquibase.setDatabaseChangeLogLockTable(table + "_changelog_lock");
		liquibase.setChangeLogParameters(parameters);
		liquibase.afterPropertiesSet();
	}

}
