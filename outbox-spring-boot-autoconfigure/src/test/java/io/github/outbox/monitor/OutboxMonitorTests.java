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

package io.github.outbox.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.store.OutboxStatistics;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.store.OutboxStore.Failure;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestOutbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@link OutboxMonitor}'s statistics and the retention of published and
 * dead events.
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxMonitorTests {

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void statisticsCountPendingAndDeadEventsAndFindTheOldest(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxMonitor monitor = new OutboxMonitor(outbox.store(), settings(null, null, 10), Clock.systemUTC());
			assertThat(monitor.getSnapshot()).isNull();
			assertThat(monitor.refresh().statistics()).isEqualTo(new OutboxStatistics(0, 0, null));
			Instant before = Instant.now().minusSeconds(1);
			outbox.write("a", "b", "c");
			List<OutboxRecord> records = outbox.store().fetch(null, Instant.now(), 10);
			outbox.store()
				.markDead(List.of(new Failure(records.get(0).id(), Instant.now(), "poison", true)), Instant.now());
			OutboxMonitor.Snapshot snapshot = monitor.refresh();
			assertThat(snapshot.statistics().pending()).isEqualTo(2);
			assertThat(snapshot.statistics().dead()).isEqualTo(1);
			assertThat(snapshot.statistics().oldestPendingCreatedAt()).isAfter(before);
			assertThat(snapshot.oldestPendingAge(Instant.now().plusSeconds(60))).isGreaterThan(Duration.ofSeconds(59));
			assertThat(monitor.getSnapshot()).isSameAs(snapshot);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void publishedEventsAreKeptUntilTheirRetentionEndsAndPurgedInBatches(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxStore store = outbox.keepingPublished();
			outbox.write("a", "b", "c", "d", "e");
			List<OutboxRecord> records = store.fetch(null, Instant.now(), 10);
			Instant publishedAt = Instant.now().minus(Duration.ofHours(2));
			store.published(records.stream().map(OutboxRecord::id).toList(), publishedAt);
			// kept, but neither pending nor sent again
			assertThat(outbox.rows()).hasSize(5);
			assertThat(store.fetch(null, Instant.now(), 10)).isEmpty();
			assertThat(store.statistics().pending()).isZero();
			outbox.write("f");
			OutboxMonitor monitor = new OutboxMonitor(store, settings(Duration.ofHours(1), null, 2), Clock.systemUTC());
			assertThat(monitor.purge()).isEqualTo(5);
			assertThat(outbox.rows()).singleElement()
				.satisfies((row) -> assertThat(row).containsEntry("event_key", "f"));
			// recently published events stay
			store.published(List.of(store.fetch(null, Instant.now(), 10).get(0).id()), Instant.now());
			assertThat(monitor.purge()).isZero();
			assertThat(outbox.rows()).hasSize(1);
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void deadEventsArePurgedAfterTheirRetentionOnlyWhenOneIsSet(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxStore store = outbox.store();
			outbox.write("old", "new", "pending");
			List<OutboxRecord> records = store.fetch(null, Instant.now(), 10);
			store.markDead(List.of(new Failure(records.get(0).id(), Instant.now(), "poison", true)),
					Instant.now().minus(Duration.ofDays(8)));
			store.markDead(List.of(new Failure(records.get(1).id(), Instant.now(), "poison", true)), Instant.now());
			assertThat(new OutboxMonitor(store, settings(null, null, 10), Clock.systemUTC()).purge()).isZero();
			assertThat(outbox.rows()).hasSize(3);
			assertThat(new OutboxMonitor(store, settings(null, Duration.ofDays(7), 10), Clock.systemUTC()).purge())
				.isOne();
			assertThat(outbox.rows()).extracting((row) -> row.get("event_key")).containsExactly("new", "pending");
		}
	}

	@ParameterizedTest
	@EnumSource(TestDatabase.Kind.class)
	void lastErrorIsTheLatestFailedAttempt(TestDatabase.Kind kind) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(kind)) {
			OutboxMonitor monitor = new OutboxMonitor(outbox.store(), settings(null, null, 10),
					Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
			assertThat(monitor.getLastError()).isNull();
			outbox.write("a");
			OutboxRecord record = outbox.store().fetch(null, Instant.now(), 1).get(0);
			monitor.failed(record, new IllegalStateException("wrapper", new java.io.IOException("broken pipe")), false);
			assertThat(monitor.getLastError()).isEqualTo(new OutboxMonitor.LastError("java.io.IOException: broken pipe",
					"topic", Instant.parse("2026-01-01T00:00:00Z")));
		}
	}

	@Test
	void failedPurgeDoesNotStopTheRefreshAndIsLoggedAsSuch(CapturedOutput output) throws Exception {
		try (TestOutbox outbox = TestOutbox.create(TestDatabase.Kind.H2)) {
			OutboxStore store = outbox.store();
			OutboxStore failingPurge = new OutboxStore(outbox.dataSource(), store.getDialect(), store.getTables(),
					OutboxStore.Settings.lanes(8)) {

				@Override
				public int purgeDead(Instant before, int limit) {
					throw new DataAccessResourceFailureException("dead events table unavailable");
				}

			};
			outbox.write("a", "b");
			OutboxMonitor monitor = new OutboxMonitor(failingPurge,
					new OutboxMonitor.Settings(Duration.ofMillis(50), null, Duration.ofDays(7), 10), Clock.systemUTC());
			monitor.start();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> monitor.getSnapshot() != null);
			}
			finally {
				monitor.stop();
			}
			assertThat(monitor.getSnapshot().statistics().pending()).isEqualTo(2);
			assertThat(output).contains("Could not purge the outbox events past their retention")
				.contains("dead events table unavailable")
				.doesNotContain("Could not refresh the outbox statistics");
		}
	}

	private static OutboxMonitor.Settings settings(Duration published, Duration dead, int batchSize) {
		return new OutboxMonitor.Settings(Duration.ofSeconds(10), published, dead, batchSize);
	}

}
