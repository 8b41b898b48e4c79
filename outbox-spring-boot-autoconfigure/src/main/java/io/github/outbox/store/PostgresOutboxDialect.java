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

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.ClassUtils;

/**
 * PostgreSQL: one {@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING} for all keys,
 * and the whole write of a transaction's events in one statement.
 *
 * @author Outbox contributors
 */
final class PostgresOutboxDialect extends OutboxDialect {

	private static final String PREAMBLE = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; SET LOCAL enable_seqscan = off;"
			+ " SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0; ";

	private static final String BACKLOG_PREAMBLE = PREAMBLE + "SET LOCAL plan_cache_mode = force_custom_plan; ";

	private static final boolean PGJDBC_PRESENT = ClassUtils.isPresent("org.postgresql.PGStatement",
			PostgresOutboxDialect.class.getClassLoader());

	@Override
	public String name() {
		return "postgresql";
	}

	/**
	 * Most events written with one statement, 10 parameters each, well below the 65,535
	 * parameters PostgreSQL takes. A larger write takes separate statements, which lock
	 * the sequences of all its keys in one statement: statements of one chunk each would
	 * lock them chunk by chunk, not in one order, and could deadlock with another large
	 * write.
	 */
	private static final int MAX_EVENTS_PER_STATEMENT = 1000;

	/**
	 * {@code NOTIFY} on the event table's channel: delivered at commit, once per
	 * transaction however many events it wrote, and never for a rolled back one.
	 */
	@Override
	void notifyRelays(JdbcTemplate jdbc, OutboxTables tables) {
		jdbc.execute("NOTIFY " + tables.events());
	}

	/**
	 * A data-modifying {@code WITH}: the events as a {@code VALUES} list, an upsert of
	 * their keys' sequences in the keys' order and the insert of the events in
	 * publication order, so that their ids follow it. The keys are sorted with the
	 * {@code "C"} collation, whatever the database's, which is the order of
	 * {@link SequenceKey} for all but characters beyond the Basic Multilingual Plane.
	 * {@code pg_notify} takes the channel as it is, where {@code NOTIFY} and
	 * {@code LISTEN} fold the unquoted table name to lower case.
	 */
	@Override
	@Nullable String insertWithSequences(OutboxTables tables, int count, boolean notifyRelays) {
		if (count > MAX_EVENTS_PER_STATEMENT) {
			return null;
		}
		StringBuilder sql = new StringBuilder("WITH batch (n, event_id, lane, topic, event_key, event_type, payload,"
				+ " headers, created_at, key_offset, key_count) AS (VALUES ");
		for (int i = 0; i < count; i++) {
			sql.append((i > 0) ? ", " : "")
				.append("(")
				.append(i)
				.append(", ?, ?::int, ?, ?, ?, ?::bytea, ?, ?::timestamp, ?::int, ?::int)");
		}
		sql.append("), taken AS (")
			.append(upsertSequences(tables, "SELECT topic, event_key, key_count FROM batch"
					+ " WHERE event_key IS NOT NULL AND key_offset = 0 ORDER BY topic COLLATE \"C\", event_key COLLATE \"C\""))
			.append("), written AS (INSERT INTO ")
			.append(tables.events())
			.append(" (event_id, lane, topic, event_key, event_type, payload, headers, created_at, event_sequence, attempts)")
			.append(" SELECT b.event_id, b.lane, b.topic, b.event_key, b.event_type, b.payload, b.headers, b.created_at,")
			.append(" t.last_sequence - b.key_count + 1 + b.key_offset, 0 FROM batch b")
			.append(" LEFT JOIN taken t ON t.topic = b.topic AND t.event_key = b.event_key ORDER BY b.n RETURNING 1)")
			.append(" SELECT count(*)");
		if (notifyRelays) {
			sql.append(", pg_notify('").append(tables.events().toLowerCase(Locale.ROOT)).append("', '')");
		}
		return sql.append(" FROM written").toString();
	}

	/**
	 * The upsert of the key's sequence in a data-modifying {@code WITH}, which the insert
	 * reads its sequence from: the event's id is taken after the key's sequence row is
	 * locked, as in {@link #insertWithSequences}, without the list of events, the sort
	 * and the join that several events need.
	 */
	@Override
	String insertOneWithSequence(OutboxTables tables) {
		return "WITH taken AS (INSERT INTO " + tables.sequences() + " AS s (topic, event_key, last_sequence)"
				+ " VALUES (?, ?, 1) ON CONFLICT (topic, event_key) DO UPDATE SET last_sequence = s.last_sequence + 1"
				+ " RETURNING topic, event_key, last_sequence) INSERT INTO " + tables.events()
				+ " (event_id, lane, topic, event_key, event_type, payload, headers, created_at, event_sequence, attempts)"
				+ " SELECT ?, ?, t.topic, t.event_key, ?, ?, ?, ?, t.last_sequence, 0 FROM taken t";
	}

	/**
	 * One {@code DELETE ... WHERE id = ANY(?)} with the ids as one {@code bigint[]}: one
	 * statement text whatever the count, parsed and planned once per connection, instead
	 * of a list of a thousand parameters.
	 */
	@Override
	boolean deleteByIds(JdbcTemplate jdbc, OutboxTables tables, Collection<Long> ids) {
		jdbc.update("DELETE FROM " + tables.events() + " WHERE id = ANY(?)",
				(ps) -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids.toArray())));
		return true;
	}

	@Override
	public boolean canNotifyRelays() {
		return true;
	}

	/**
	 * {@code SET TRANSACTION} in {@link #relayBatchPreamble}, sent with the first
	 * statement of the batch's transaction: the driver reads the isolation level of a
	 * connection with a query of its own.
	 */
	@Override
	public boolean readCommittedBeforeRelayBatch() {
		return true;
	}

	/**
	 * The outbox table is a queue whose size swings from empty to millions of rows, and
	 * its statistics lag behind (or never come, without autovacuum). A plan made without
	 * statistics reads the whole table and sorts it for every batch, which makes draining
	 * a backlog quadratic: walk the primary key in order instead of scanning the table. A
	 * large table also makes the estimated cost of that walk high enough for PostgreSQL
	 * to compile the query (JIT) and start parallel workers for every batch, tens of
	 * milliseconds for a walk that stops after one batch of rows: neither is used. While
	 * a backlog drains (the previous batch was full), the batch's statements are planned
	 * for the table as it is now instead of with a generic plan cached while it was
	 * small. Otherwise the cached plans are kept: under a steady load the relay runs many
	 * small batches, and planning each of their statements took more of the database's
	 * time than running them.
	 */
	@Override
	String relayBatchPreamble(boolean backlog) {
		return (backlog) ? BACKLOG_PREAMBLE : PREAMBLE;
	}

	/**
	 * Read the batch's rows in PostgreSQL's binary format from the statement's first run
	 * on a connection. The driver otherwise asks for text until it has run a statement
	 * five times on a connection: the server then writes each payload as hexadecimal
	 * text, twice its size, and the driver decodes it again: 8% of the relay threads'
	 * samples in a profile of a drain of 2,000-event batches of 500-byte payloads.
	 */
	@Override
	void prepareRelayRead(PreparedStatement statement) throws SQLException {
		if (PGJDBC_PRESENT && statement.isWrapperFor(PGStatement.class)) {
			statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
		}
	}

	@Override
	Map<SequenceKey, Long> incrementSequences(JdbcTemplate jdbc, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts) {
		String sql = upsertSequences(tables, "VALUES " + repeat("(?, ?, ?)", counts.size()));
		return readSequences(jdbc, sql, incrementArguments(counts));
	}

	private static String upsertSequences(OutboxTables tables, String counts) {
		return "INSERT INTO " + tables.sequences() + " AS s (topic, event_key, last_sequence) " + counts
				+ " ON CONFLICT (topic, event_key) DO UPDATE SET last_sequence = s.last_sequence + EXCLUDED.last_sequence"
				+ " RETURNING topic, event_key, last_sequence";
	}

}
