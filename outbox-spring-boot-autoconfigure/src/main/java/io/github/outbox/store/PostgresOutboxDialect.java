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

import java.util.Map;
import java.util.SortedMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL: one {@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING} for all keys.
 *
 * @author Outbox contributors
 */
final class PostgresOutboxDialect extends OutboxDialect {

	@Override
	public String name() {
		return "postgresql";
	}

	/**
	 * {@code NOTIFY} on the event table's channel: delivered at commit, once per
	 * transaction however many events it wrote, and never for a rolled back one.
	 */
	@Override
	void notifyRelays(JdbcTemplate jdbc, OutboxTables tables) {
		jdbc.execute("NOTIFY " + tables.events());
	}

	@Override
	public boolean canNotifyRelays() {
		return true;
	}

	/**
	 * The outbox table is a queue whose size swings from empty to millions of rows, and
	 * its statistics lag behind (or never come, without autovacuum). A generic plan cached
	 * for a prepared statement while the table was small (a nested loop scanning the table
	 * for every row) stays in use when it is large, and a plan made without statistics
	 * reads the whole table and sorts it for every batch: either way draining a backlog
	 * becomes quadratic. Plan the batch's statements for the table as it is now, and walk
	 * the primary key in order instead of scanning the table.
	 */
	@Override
	void beforeRelayBatch(JdbcTemplate jdbc) {
		jdbc.execute("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = off");
	}

	@Override
	Map<SequenceKey, Long> incrementSequences(JdbcTemplate jdbc, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts) {
		String sql = "INSERT INTO " + tables.sequences() + " AS s (topic, event_key, last_sequence) VALUES "
				+ repeat("(?, ?, ?)", counts.size())
				+ " ON CONFLICT (topic, event_key) DO UPDATE SET last_sequence = s.last_sequence + EXCLUDED.last_sequence"
				+ " RETURNING topic, event_key, last_sequence";
		return readSequences(jdbc, sql, incrementArguments(counts));
	}

}
