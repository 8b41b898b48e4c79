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

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The SQL that differs between the supported databases.
 *
 * @author Outbox contributors
 */
public abstract class OutboxDialect {

	private static final Map<String, OutboxDialect> DIALECTS = Map.of("postgresql", new PostgresOutboxDialect(),
			"mariadb", new MariaDbOutboxDialect(), "mysql", new MariaDbOutboxDialect(), "h2", new H2OutboxDialect());

	/**
	 * Name of the database family, as used for Liquibase's {@code dbms}.
	 * @return the name
	 */
	public abstract String name();

	/**
	 * Add the given counts to the sequences of the given keys, creating missing ones, and
	 * return the new last value of each. The rows stay locked until the transaction ends,
	 * which serializes committing transactions that write the same key. Keys are handled
	 * in their natural order so that two transactions never wait for each other.
	 * @param jdbc the template bound to the current transaction's connection
	 * @param tables the outbox tables
	 * @param counts events per key, sorted
	 * @return the new last sequence of each key
	 */
	abstract Map<SequenceKey, Long> incrementSequences(JdbcTemplate jdbc, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts);

	/**
	 * Return one statement that does all the writing of {@link OutboxStore#insert(List)}:
	 * takes the sequences of the events' keys as {@link #incrementSequences} does, writes
	 * the events in the given order with their sequences and, if asked, notifies the
	 * relays as {@link #notifyRelays} does. The statement returns one row with the number
	 * of events written. It takes, for each event in turn, the parameters of
	 * {@code EventWriter.bindEvent} followed by the event's offset among the events of
	 * its key and the number of events of its key, both {@code 0} for an event without a
	 * key.
	 * @param tables the outbox tables
	 * @param count the number of events
	 * @param notifyRelays whether to notify the relays
	 * @return the statement, or {@code null} to write with separate statements, for
	 * example if the database cannot or if there are too many events for one statement
	 */
	@Nullable String insertWithSequences(OutboxTables tables, int count, boolean notifyRelays) {
		return null;
	}

	/**
	 * Return one statement writing one event that has a key, with the next sequence of
	 * its key, taken as {@link #incrementSequences} does, and that notifies nobody. The
	 * statement returns the number of events written as its update count. It takes the
	 * event's topic and key, then its id, lane, type, payload, headers and creation time.
	 * A transaction that publishes one event is the usual case, and it costs less than
	 * {@link #insertWithSequences} with a list of one.
	 * @param tables the outbox tables
	 * @return the statement, or {@code null} to write the event as any other count
	 */
	@Nullable String insertOneWithSequence(OutboxTables tables) {
		return null;
	}

	/**
	 * Delete the events with the given ids with one statement, if the dialect can bind
	 * them as one array parameter.
	 * @param jdbc the template of the current transaction
	 * @param tables the outbox tables
	 * @param ids the ids
	 * @return whether the events were deleted, {@code false} to delete them with lists of
	 * parameters
	 */
	boolean deleteByIds(JdbcTemplate jdbc, OutboxTables tables, Collection<Long> ids) {
		return false;
	}

	/**
	 * Tell the relays of other instances, at commit, that the current transaction wrote
	 * events, if the database can.
	 * @param jdbc the template bound to the current transaction's connection
	 * @param tables the outbox tables
	 */
	void notifyRelays(JdbcTemplate jdbc, OutboxTables tables) {
	}

	/**
	 * Whether {@link #notifyRelays} reaches the relays of other instances.
	 * @return {@code true} if it does
	 */
	public boolean canNotifyRelays() {
		return false;
	}

	/**
	 * Whether {@link #relayBatchPreamble} makes the current transaction read committed
	 * itself. Otherwise the relay asks for read committed when it begins the transaction,
	 * which first reads the connection's isolation level.
	 * @return {@code true} if it does
	 */
	public boolean readCommittedBeforeRelayBatch() {
		return false;
	}

	/**
	 * Return the statements that prepare the transaction of a relay batch, sent with the
	 * statement that locks the batch's lanes, the first of the transaction, in one round
	 * trip.
	 * @param backlog whether the previous batch of these lanes was full: the table may be
	 * large
	 * @return the statements, each followed by {@code ;}, or an empty string for none
	 */
	String relayBatchPreamble(boolean backlog) {
		return "";
	}

	/**
	 * Prepare the statement that reads a relay batch, before it runs.
	 * @param statement the statement
	 * @throws SQLException if the driver refuses
	 */
	void prepareRelayRead(PreparedStatement statement) throws SQLException {
	}

	/**
	 * Return the dialect of the given data source's database.
	 * @param dataSource the data source
	 * @return the dialect
	 * @throws IllegalStateException if the database is not supported
	 */
	public static OutboxDialect of(DataSource dataSource) {
		String product;
		try {
			product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Unable to determine the database of the outbox DataSource", ex);
		}
		OutboxDialect dialect = DIALECTS.get(product.toLowerCase(Locale.ROOT));
		if (dialect == null) {
			throw new IllegalStateException("The outbox does not support the database '" + product
					+ "'. Supported databases: PostgreSQL, MariaDB, MySQL and H2");
		}
		return dialect;
	}

	/**
	 * Build a query that reads back the sequences of the given keys.
	 * @param tables the outbox tables
	 * @param count the number of keys
	 * @return the query, taking topic and key parameters for each key
	 */
	static String selectSequences(OutboxTables tables, int count) {
		StringBuilder sql = new StringBuilder("SELECT topic, event_key, last_sequence FROM ").append(tables.sequences())
			.append(" WHERE ");
		for (int i = 0; i < count; i++) {
			sql.append((i > 0) ? " OR " : "").append("(topic = ? AND event_key = ?)");
		}
		return sql.toString();
	}

	static Object[] keyArguments(List<SequenceKey> keys) {
		Object[] arguments = new Object[keys.size() * 2];
		for (int i = 0; i < keys.size(); i++) {
			arguments[2 * i] = keys.get(i).topic();
			arguments[2 * i + 1] = keys.get(i).key();
		}
		return arguments;
	}

	static Object[] incrementArguments(SortedMap<SequenceKey, Integer> counts) {
		Object[] arguments = new Object[counts.size() * 3];
		int i = 0;
		for (Map.Entry<SequenceKey, Integer> entry : counts.entrySet()) {
			arguments[i++] = entry.getKey().topic();
			arguments[i++] = entry.getKey().key();
			arguments[i++] = entry.getValue().longValue();
		}
		return arguments;
	}

	static Map<SequenceKey, Long> readSequences(JdbcTemplate jdbc, String sql, Object... arguments) {
		Map<SequenceKey, Long> sequences = new java.util.HashMap<>();
		jdbc.query(sql, (rs) -> {
			sequences.put(new SequenceKey(rs.getString(1), rs.getString(2)), rs.getLong(3));
		}, arguments);
		return sequences;
	}

	static String repeat(String row, int count) {
		return String.join(", ", java.util.Collections.nCopies(count, row));
	}

}
