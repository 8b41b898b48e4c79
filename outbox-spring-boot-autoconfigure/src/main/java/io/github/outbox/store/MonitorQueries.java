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

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The monitor's part of the {@link OutboxStore}: the statistics of the table and the
 * purges of published and dead events past their retention.
 *
 * @author Outbox contributors
 */
final class MonitorQueries {

	private final JdbcTemplate jdbc;

	private final OutboxTables tables;

	MonitorQueries(JdbcTemplate jdbc, OutboxTables tables) {
		this.jdbc = jdbc;
		this.tables = tables;
	}

	/**
	 * Count the pending and the dead events and find the oldest pending one, with one
	 * query over the table.
	 * @return the statistics
	 */
	OutboxStatistics statistics() {
		return this.jdbc.queryForObject("SELECT SUM(CASE WHEN dead_at IS NULL THEN 1 ELSE 0 END),"
				+ " SUM(CASE WHEN dead_at IS NOT NULL THEN 1 ELSE 0 END),"
				+ " MIN(CASE WHEN dead_at IS NULL THEN created_at END) FROM " + this.tables.events()
				+ " WHERE published_at IS NULL", (rs, row) -> {
					LocalDateTime oldest = rs.getObject(3, LocalDateTime.class);
					return new OutboxStatistics(rs.getLong(1), rs.getLong(2),
							(oldest != null) ? oldest.toInstant(ZoneOffset.UTC) : null);
				});
	}

	/**
	 * Delete up to {@code limit} events published before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of events to delete
	 * @return the number of events deleted
	 */
	int purgePublished(Instant before, int limit) {
		return purge(OutboxStore.PUBLISHED_BEFORE, before, limit);
	}

	/**
	 * Delete up to {@code limit} events dead before the given time.
	 * @param before the end of the retention
	 * @param limit the maximum number of events to delete
	 * @return the number of events deleted
	 */
	int purgeDead(Instant before, int limit) {
		return purge(OutboxStore.DEAD_BEFORE, before, limit);
	}

	private int purge(String condition, Instant before, int limit) {
		return deletePurgeable(condition, selectPurgeable(condition, before, limit), before);
	}

	/**
	 * The first step of a purge: select up to {@code limit} ids of events matching the
	 * given condition.
	 * @param condition {@link OutboxStore#PUBLISHED_BEFORE} or
	 * {@link OutboxStore#DEAD_BEFORE}
	 * @param before the end of the retention
	 * @param limit the maximum number of events
	 * @return the ids
	 */
	List<Long> selectPurgeable(String condition, Instant before, int limit) {
		return this.jdbc.query(
				"SELECT id FROM " + this.tables.events() + " WHERE " + condition + " ORDER BY id LIMIT ?",
				StoreSql.LONG_COLUMN, StoreSql.toTimestamp(before), limit);
	}

	/**
	 * The second step of a purge: delete those of the given events that still match the
	 * condition. An event retried since it was selected is pending again and must stay.
	 * @param condition the condition the events were selected with
	 * @param ids the ids of the events
	 * @param before the end of the retention
	 * @return the number of events deleted
	 */
	int deletePurgeable(String condition, List<Long> ids, Instant before) {
		Object timestamp = StoreSql.toTimestamp(before);
		int[] deleted = new int[1];
		StoreSql.forEachChunk(ids, (chunk) -> {
			List<Object> arguments = new ArrayList<>(chunk);
			arguments.add(timestamp);
			deleted[0] += this.jdbc.update("DELETE FROM " + this.tables.events() + " WHERE id IN ("
					+ StoreSql.placeholders(chunk.size()) + ") AND " + condition, arguments.toArray());
		});
		return deleted[0];
	}

}
