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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.DatabasePopulatorUtils;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.util.Assert;

/**
 * Runs the starter's SQL schema scripts against a DataSource: picks the script of the
 * database ({@code @@platform@@} in the location, as Spring Boot's own schema scripts
 * do), names the tables after the configured table and reads what exists already.
 *
 * @author Outbox contributors
 */
final class SchemaScripts {

	private final DataSource dataSource;

	private final ResourceLoader resourceLoader;

	SchemaScripts(DataSource dataSource, ResourceLoader resourceLoader) {
		this.dataSource = dataSource;
		this.resourceLoader = resourceLoader;
	}

	/**
	 * Run a script whose tables are named after {@code defaultTable}, naming them after
	 * {@code table} instead.
	 * @param location the script, with {@code @@platform@@} for the database's id
	 * ({@code postgresql}, {@code mariadb}, {@code mysql}, {@code h2})
	 * @param defaultTable the table name the script is written with
	 * @param table the table name to create, a validated identifier
	 */
	void run(String location, String defaultTable, String table) {
		Resource script = resolve(location);
		String sql;
		try {
			sql = script.getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + script.getDescription(), ex);
		}
		// the names only ever start with the default table name: outbox_event,
		// outbox_event_sequence, …
		String named = Pattern.compile("(?<![a-z0-9_])" + Pattern.quote(defaultTable))
			.matcher(sql)
			.replaceAll(Matcher.quoteReplacement(table));
		ResourceDatabasePopulator populator = new ResourceDatabasePopulator(
				new ByteArrayResource(named.getBytes(StandardCharsets.UTF_8), script.getDescription()));
		populator.setSqlScriptEncoding(StandardCharsets.UTF_8.name());
		DatabasePopulatorUtils.execute(populator, this.dataSource);
	}

	private Resource resolve(String location) {
		List<String> locations = new PlatformPlaceholderDatabaseDriverResolver().resolveAll(this.dataSource, location);
		Resource script = this.resourceLoader.getResource(locations.get(0));
		Assert.state(script.exists(),
				() -> "The starter has no schema script for this database (" + locations.get(0)
						+ "). Add Liquibase (org.liquibase:liquibase-core) to create the tables with its changelog, or "
						+ "create them yourself and set outbox.schema.mode=never");
		return script;
	}

	/**
	 * Return the lower-case names of the columns of a table of the current schema, empty
	 * if the table does not exist.
	 * @param table the table
	 * @return the columns
	 */
	Set<String> columns(String table) {
		return read((metaData, connection) -> {
			Set<String> columns = new HashSet<>();
			try (ResultSet rows = metaData.getColumns(connection.getCatalog(), connection.getSchema(),
					pattern(metaData, table), null)) {
				while (rows.next()) {
					columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
				}
			}
			return columns;
		});
	}

	/**
	 * Return whether a table of the current schema has an index of the given name.
	 * @param table the table
	 * @param index the index
	 * @return whether the index exists
	 */
	boolean hasIndex(String table, String index) {
		return read((metaData, connection) -> {
			try (ResultSet rows = metaData.getIndexInfo(connection.getCatalog(), connection.getSchema(),
					name(metaData, table), false, false)) {
				while (rows.next()) {
					if (index.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
						return true;
					}
				}
			}
			return false;
		});
	}

	private <T> T read(MetaDataCallback<T> callback) {
		T result = new JdbcTemplate(this.dataSource)
			.execute((ConnectionCallback<T>) (connection) -> callback.read(connection.getMetaData(), connection));
		Assert.state(result != null, "No result");
		return result;
	}

	private static String name(DatabaseMetaData metaData, String table) throws SQLException {
		return metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
	}

	private static String pattern(DatabaseMetaData metaData, String table) throws SQLException {
		String escape = metaData.getSearchStringEscape();
		String name = name(metaData, table);
		return (escape != null && !escape.isEmpty()) ? name.replace("_", escape + "_") : name;
	}

	@FunctionalInterface
	private interface MetaDataCallback<T> {

		T read(DatabaseMetaData metaData, Connection connection) throws SQLException;

	}

}
