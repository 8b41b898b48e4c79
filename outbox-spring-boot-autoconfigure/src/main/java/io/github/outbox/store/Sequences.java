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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Takes the next sequence numbers of the keys of a transaction's events from the sequence
 * table, whatever the layout of the event table.
 *
 * @author Outbox contributors
 */
final class Sequences {

	private Sequences() {
	}

	/**
	 * Take the sequences of the given events' keys, locking each key's sequence row until
	 * the transaction ends, so rows of one key are numbered in commit order.
	 * @param jdbc the template bound to the current transaction's connection
	 * @param dialect the dialect of the database
	 * @param tables the outbox tables
	 * @param messages the events, in publication order
	 * @return the sequence of each event, {@code null} for an event without a key
	 */
	static Long[] assign(JdbcTemplate jdbc, OutboxDialect dialect, OutboxTables tables, List<OutboxMessage> messages) {
		Long[] sequences = new Long[messages.size()];
		SortedMap<SequenceKey, Integer> counts = new TreeMap<>();
		for (OutboxMessage message : messages) {
			if (message.key() != null) {
				counts.merge(new SequenceKey(message.topic(), message.key()), 1, Integer::sum);
			}
		}
		if (counts.isEmpty()) {
			return sequences;
		}
		Map<SequenceKey, Long> next = next(jdbc, dialect, tables, counts);
		for (int i = 0; i < sequences.length; i++) {
			OutboxMessage message = messages.get(i);
			if (message.key() != null) {
				sequences[i] = next.merge(new SequenceKey(message.topic(), message.key()), 1L, Long::sum) - 1;
			}
		}
		return sequences;
	}

	/**
	 * Add the given counts to the sequences of their keys.
	 * @param jdbc the template bound to the current transaction's connection
	 * @param dialect the dialect of the database
	 * @param tables the outbox tables
	 * @param counts events per key
	 * @return the first new sequence of each key
	 */
	static Map<SequenceKey, Long> next(JdbcTemplate jdbc, OutboxDialect dialect, OutboxTables tables,
			SortedMap<SequenceKey, Integer> counts) {
		Map<SequenceKey, Long> last = dialect.incrementSequences(jdbc, tables, counts);
		Map<SequenceKey, Long> next = new HashMap<>();
		counts.forEach((key, count) -> {
			Long lastSequence = last.get(key);
			Assert.state(lastSequence != null, () -> "No sequence returned for " + key);
			next.put(key, lastSequence - count + 1);
		});
		return next;
	}

}
