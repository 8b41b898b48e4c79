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
 * H2: a standard {@code MERGE} for all keys, then one locking read of the new values.
 *
 * @author Outbox contributors
 */
final class H2OutboxDialect extends OutboxDialect {

	@Override
	public String name() {
		return "h2";
	}

	@Override
	Map<SequenceKey, Long> incrementSequences(JdbcTemplate jdbc, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts) {
		jdbc.update("MERGE INTO " + tables.sequences() + " s USING (VALUES "
				+ repeat("(CAST(? AS VARCHAR(249)), CAST(? AS VARCHAR(255)), CAST(? AS BIGINT))", counts.size())
				+ ") AS n (topic, event_key, increment) ON s.topic = n.topic AND s.event_key = n.event_key"
				+ " WHEN MATCHED THEN UPDATE SET s.last_sequence = s.last_sequence + n.increment"
				+ " WHEN NOT MATCHED THEN INSERT (topic, event_key, last_sequence) VALUES (n.topic, n.event_key, n.increment)",
				incrementArguments(counts));
		return readSequences(jdbc, selectSequences(tables, counts.size()) + " FOR UPDATE",
				keyArguments(new ArrayList<>(counts.keySet())));
	}

}
