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
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.jdbc.core.RowMapper;

/**
 * What the statements of the outbox tables share: timestamps in UTC without a zone (the
 * tables' columns), {@code IN} lists of placeholders, long id lists cut into statements
 * of at most {@value #MAX_IDS_PER_STATEMENT} ids, and the rows of one {@code NOT NULL}
 * number column (ids, lanes, sequences).
 *
 * @author Outbox contributors
 */
final class StoreSql {

	static final int MAX_IDS_PER_STATEMENT = 1000;

	static final RowMapper<Long> LONG_COLUMN = (rs, rowNum) -> rs.getLong(1);

	static final RowMapper<Integer> INT_COLUMN = (rs, rowNum) -> rs.getInt(1);

	private StoreSql() {
	}

	static LocalDateTime toTimestamp(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	static void forEachChunk(Collection<Long> ids, Consumer<List<Long>> action) {
		List<Long> remaining = new ArrayList<>(ids);
		for (int from = 0; from < remaining.size(); from += MAX_IDS_PER_STATEMENT) {
			action.accept(remaining.subList(from, Math.min(remaining.size(), from + MAX_IDS_PER_STATEMENT)));
		}
	}

}
