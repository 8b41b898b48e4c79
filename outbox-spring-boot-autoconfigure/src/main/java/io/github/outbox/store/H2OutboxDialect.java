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

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * H2: an update, or an insert for a new key, per key, then one locking read of the new
 * values. H2 reports a concurrent first insert of the same key as a duplicate, which is
 * answered by updating the row the other transaction created.
 *
 * @author Outbox contributors
 */
final class H2OutboxDialect extends OutboxDialect {

	private static final int MAX_ATTEMPTS = 50;

	@Override
	public String name() {
		return "h2";
	}

	@Override
	Map<SequenceKey, Long> incrementSequences(JdbcTemplate jdbc, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts) {
		String update = "UPDATE " + tables.sequences()
				+ " SET last_sequence = last_sequence + ? WHERE topic = ? AND event_key = ?";
		String insert = "INSERT INTO " + tables.sequences() + " (topic, event_key, last_sequence) VALUES (?, ?, ?)";
		counts.forEach((key, count) -> {
			for (int attempt = 1; jdbc.update(update, count, key.topic(), key.key()) == 0; attempt++) {
				try {
					jdbc.update(insert, key.topic(), key.key(), count);
					return;
				}
				catch (DuplicateKeyException ex) {
					if (attempt >= MAX_ATTEMPTS) {
						throw ex;
					}
				}
			}
		});
		return readSequences(jdbc, selectSequences(tables, counts.size()) + " FOR UPDATE",
				keyArguments(new ArrayList<>(counts.keySet())));
	}

}
