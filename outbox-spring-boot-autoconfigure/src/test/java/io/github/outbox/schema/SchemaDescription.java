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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.github.outbox.testsupport.TestDatabase;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a database's catalog says about the tables of the current schema (columns with
 * their types, nullability, defaults, identity and collation; keys; indexes; table
 * options), as sorted lines, so that two ways of creating the tables can be compared.
 * Liquibase's change log tables are left out.
 */
final class SchemaDescription {

	private static final String NOT_CHANGELOG = " NOT LIKE '%changelog%'";

	private SchemaDescription() {
	}

	static List<String> of(TestDatabase.Kind kind, DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		List<String> lines = new ArrayList<>();
		for (String query : queries(kind)) {
			for (Map<String, Object> row : jdbc.queryForList(query)) {
				lines.add(String.join(" | ", row.values().stream().map(String::valueOf).toList()));
			}
		}
		return lines.stream().sorted().toList();
	}

	private static List<String> queries(TestDatabase.Kind kind) {
		return switch (kind) {
			case POSTGRESQL -> List.of(
					"SELECT 'column', table_name, column_name, ordinal_position, data_type, character_maximum_length,"
							+ " datetime_precision, is_nullable, column_default, is_identity, identity_generation,"
							+ " collation_name FROM information_schema.columns"
							+ " WHERE table_schema = current_schema() AND table_name" + NOT_CHANGELOG,
					"SELECT 'key', tc.table_name, tc.constraint_name, tc.constraint_type, k.column_name, k.ordinal_position"
							+ " FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k"
							+ " ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name"
							+ " WHERE tc.table_schema = current_schema() AND tc.table_name" + NOT_CHANGELOG,
					"SELECT 'index', tablename, indexname, indexdef FROM pg_indexes"
							+ " WHERE schemaname = current_schema() AND tablename" + NOT_CHANGELOG,
					"SELECT 'table', relname, array_to_string(reloptions, ',') FROM pg_class"
							+ " WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname"
							+ NOT_CHANGELOG);
			case MARIADB ->
				List.of("SELECT 'column', table_name, column_name, ordinal_position, column_type, is_nullable,"
						+ " column_default, character_set_name, collation_name, extra FROM information_schema.columns"
						+ " WHERE table_schema = DATABASE() AND table_name" + NOT_CHANGELOG,
						"SELECT 'index', table_name, index_name, non_unique, seq_in_index, column_name, index_type"
								+ " FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name"
								+ NOT_CHANGELOG,
						"SELECT 'table', table_name, engine, table_collation FROM information_schema.tables"
								+ " WHERE table_schema = DATABASE() AND table_name" + NOT_CHANGELOG);
			case H2 -> List.of(
					"SELECT 'column', table_name, column_name, ordinal_position, data_type, character_maximum_length,"
							+ " datetime_precision, is_nullable, column_default, is_identity FROM information_schema.columns"
							+ " WHERE table_schema = 'PUBLIC' AND table_name NOT LIKE '%CHANGELOG%'",
					"SELECT 'key', tc.table_name, tc.constraint_name, tc.constraint_type, k.column_name, k.ordinal_position"
							+ " FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k"
							+ " ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name"
							+ " WHERE tc.table_schema = 'PUBLIC' AND tc.table_name NOT LIKE '%CHANGELOG%'",
					// the index behind a primary key has a generated name: the key is
					// compared above
					"SELECT 'index', i.table_name, i.index_name, i.index_type_name, c.column_name, c.ordinal_position"
							+ " FROM information_schema.indexes i JOIN information_schema.index_columns c"
							+ " ON c.index_schema = i.index_schema AND c.index_name = i.index_name"
							+ " WHERE i.table_schema = 'PUBLIC' AND i.index_type_name <> 'PRIMARY KEY'"
							+ " AND i.table_name NOT LIKE '%CHANGELOG%'");
		};
	}

}
