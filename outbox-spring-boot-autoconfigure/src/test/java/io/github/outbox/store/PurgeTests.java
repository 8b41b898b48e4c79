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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for purging dead and published events past their retention.
 */
class PurgeTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void deadEventsPastTheirRetentionArePurged(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b");
			Instant now = Instant.now();
			List<Long> ids = ids(outbox);
			outbox.store().markDead(List.of(failure(ids.get(0))), now.minus(Duration.ofDays(2)));
			assertThat(outbox.store().purgeDead(now.minus(Duration.ofDays(1)), 10)).isOne();
			assertThat(ids(outbox)).containsExactly(ids.get(1));
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void whenADeadEventIsRetriedDuringThePurgeThenItIsKept(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			outbox.write("a", "b");
			Instant now = Instant.now();
			List<Long> ids = ids(outbox);
			outbox.store().markDead(List.of(failure(ids.get(0)), failure(ids.get(1))), now.minus(Duration.ofDays(2)));
			Instant before = now.minus(Duration.ofDays(1));
			List<Long> selected = outbox.store().selectPurgeable(OutboxStore.DEAD_BEFORE, before, 10);
			assertThat(selected).containsExactlyElementsOf(ids);
			// committed between the purge's select and its delete
			assertThat(new JdbcDeadOutboxEvents(outbox.dataSource(), outbox.store(), () -> {
			}).retry(ids.get(0))).isTrue();
			assertThat(outbox.store().deletePurgeable(OutboxStore.DEAD_BEFORE, selected, before)).isOne();
			List<Map<String, Object>> rows = outbox.rows();
			assertThat(rows).singleElement().satisfies((row) -> {
				assertThat(row).containsEntry("event_key", "a");
				assertThat(row.get("dead_at")).isNull();
			});
		}
	}

	private static OutboxStore.Failure failure(long id) {
		return new OutboxStore.Failure(id, Instant.now(), "poison", true);
	}

	private static List<Long> ids(TestOutbox outbox) {
		return outbox.jdbc().queryForList("SELECT id FROM outbox_event ORDER BY id", Long.class);
	}

}
