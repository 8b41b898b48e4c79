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
package io.github.outbox.store;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Rules for the table names an application configures. The starter's changelog creates
 * the tables and its statements query them with the name as given, unquoted: the name
 * must therefore mean the same table quoted and unquoted on every supported database.
 * Only lower-case identifiers that are not a reserved word of PostgreSQL, MariaDB, MySQL
 * or H2 do (PostgreSQL folds unquoted names to lower case, H2 to upper case, and
 * Liquibase quotes mixed-case names and reserved words).
 *
 * @author Outbox contributors
 */
public final class TableNames {

	/**
	 * What a table name may look like, for error messages.
	 */
	public static final String RULE = "lower-case letters, digits and underscores, starting with a letter or"
			+ " underscore, at most " + OutboxTables.MAX_NAME_LENGTH
			+ " characters, and not a reserved word of PostgreSQL, MariaDB, MySQL or H2 (such as 'order' or 'user')";

	private static final Pattern LOWER_CASE_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

	/**
	 * Words that PostgreSQL 15, MariaDB 10.11, MySQL 8 or H2 2.4 reject as an unquoted
	 * table name, or that Liquibase quotes on one of them.
	 */
	private static final Set<String> RESERVED_WORDS = Set
		.of(("_rowid_ accessible add admin all alter analyse analyze and any array as asc asensitive "
				+ "asymmetric authorization before between bigint binary blob both by call cascade case cast "
				+ "change char character check collate collation column concurrently condition constraint continue "
				+ "convert create cross cube cume_dist current_catalog current_date current_path current_role "
				+ "current_schema current_time current_timestamp current_user cursor database databases day "
				+ "day_hour day_microsecond day_minute day_second dec decimal declare default deferrable delayed "
				+ "delete delete_domain_id dense_rank desc describe deterministic distinct distinctrow div do "
				+ "do_domain_ids double drop dual each else elseif empty enclosed end escaped except exclude "
				+ "exists exit explain extract false fetch filter first_value float float4 float8 following for "
				+ "force foreign freeze from full fulltext function generated get grant group grouping groups "
				+ "having high_priority history hour hour_microsecond hour_minute hour_second if ignore "
				+ "ignore_domain_ids ilike in index infile initially inner inout insensitive insert int int1 int2 "
				+ "int3 int4 int8 integer intersect interval into invisible is isnull iterate join json_table key "
				+ "keys kill lag last_value lateral lead leading leave left like limit linear lines load localtime "
				+ "localtimestamp lock locked long longblob longtext loop low_priority manual "
				+ "master_demote_to_replica master_demote_to_slave master_ssl_verify_server_cert match maxvalue "
				+ "mediumblob mediumint mediumtext middleint minus minute minute_microsecond minute_second mod "
				+ "modifies month natural nested no_write_to_binlog not notnull nowait nth_value ntile null nulls "
				+ "numeric of offset on only optimize option optionally or order ordinality others out outer "
				+ "outfile over overlaps page_checksum parallel parse_vcol_expr partition path percent_rank period "
				+ "placing portion position preceding precision primary procedure process purge qualify range rank "
				+ "read read_write reads real recursive ref_system_id references regexp release rename repeat "
				+ "replace require resignal restart restrict return returning reuse revoke right rlike role row "
				+ "row_number rownum rows schema schemas second second_microsecond select sensitive separator "
				+ "session_user set show signal similar skip smallint some spatial specific sql sql_big_result "
				+ "sql_calc_found_rows sql_small_result sqlexception sqlstate sqlwarning ssl starting "
				+ "stats_auto_recalc stats_persistent stats_sample_pages stored straight_join substring symmetric "
				+ "sysdate system system_user table tablesample terminated then ties tinyblob tinyint tinytext to "
				+ "top trailing trigger trim true uescape unbounded undo union unique unknown unlock unsigned "
				+ "update usage use user using utc_date utc_time utc_timestamp value values varbinary varchar "
				+ "varcharacter variadic varying verbose virtual visible when where while window with write xor "
				+ "year year_month zerofill ")
			.split(" "));

	private TableNames() {
	}

	/**
	 * Tell what is wrong with the given table name, if anything.
	 * @param name the name
	 * @return why the name cannot be used, or {@code null} if it can
	 */
	public static @Nullable String problem(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			return "it is empty";
		}
		if (name.length() > OutboxTables.MAX_NAME_LENGTH) {
			return "it is longer than " + OutboxTables.MAX_NAME_LENGTH + " characters";
		}
		if (!LOWER_CASE_IDENTIFIER.matcher(name).matches()) {
			return LOWER_CASE_IDENTIFIER.matcher(name.toLowerCase(Locale.ROOT)).matches()
					? "it has upper-case letters, which the databases fold differently when unquoted"
					: "it is not a plain SQL identifier";
		}
		if (RESERVED_WORDS.contains(name)) {
			return "it is a reserved word of SQL";
		}
		return null;
	}

}
