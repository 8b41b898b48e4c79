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

import java.util.ArrayList;
import java.util.Map;
import java.util.SortedMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * MariaDB and MySQL: {@code INSERT ... ON DUPLICATE KEY UPDATE} for all keys, then one
 * locking read of the new values.
 *
 * @author Outbox contributors
 */
final class MariaDbOutboxDialect extends OutboxDialect {

	@Override
	public String name() {
		return "mariadb";
	}

	@Override
	Map<SequenceKey, Long> incrementSequences(JdbcTemplate jdbc, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts) {
		jdbc.update(
				"INSERT INTO " + tables.sequences() + " (topic, event_key, last_sequence) VALUES "
						+ repeat("(?, ?, ?)", counts.size())
						+ " ON DUPLICATE KEY UPDATE last_sequence = last_sequence + VALUES(last_sequence)",
				incrementArguments(counts));
		return readSequences(jdbc, selectSequences(tables, counts.size()) + " FOR UPDATE",
				keyArguments(new ArrayList<>(counts.keySet())));
	}

}
