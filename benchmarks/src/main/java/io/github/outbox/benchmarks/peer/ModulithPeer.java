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

package io.github.outbox.benchmarks.peer;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Modulith's JDBC event publication registry with its Kafka externalization: the
 * event is {@code @Externalized}, published with the {@link ApplicationEventPublisher} in
 * a transaction and sent after commit by Modulith's asynchronous externalizing listener.
 * <p>
 * Modulith has no switch to hold its listener back, so a backlog is written the way it
 * exists after a crash: publication rows not yet completed, each exactly as Modulith
 * itself stores it (listener, type, serialized event and status are taken from a real
 * publication, rolled back). {@link #resume} resubmits them as
 * {@code republish-outstanding-events-on-restart} does.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ModulithPeer {

	static final String TOPIC = "bench-modulith";

	@Bean
	Peer peer(IncompleteEventPublications incomplete, EventSerializer serializer, ApplicationEventPublisher publisher,
			TransactionTemplate transactions, JdbcTemplate jdbc) {
		return new Peer() {

			@Override
			public void pause() {
			}

			@Override
			public void backlog(int events) {
				Map<String, Object> stored = transactions.execute((status) -> {
					publisher.publishEvent(BenchOrderPlaced.of(0));
					status.setRollbackOnly();
					return jdbc.queryForMap(
							"SELECT listener_id, event_type, status, completion_attempts FROM event_publication");
				});
				for (int from = 0; from < events; from += 1000) {
					List<Object[]> rows = new ArrayList<>();
					for (BenchOrderPlaced event : Peer.events(from, Math.min(1000, events - from))) {
						rows.add(new Object[] { UUID.randomUUID(), stored.get("listener_id"), stored.get("event_type"),
								serializer.serialize(event).toString(), Timestamp.from(Instant.now()),
								stored.get("status"), stored.get("completion_attempts") });
					}
					jdbc.batchUpdate(
							"INSERT INTO event_publication (id, listener_id, event_type, serialized_event,"
									+ " publication_date, status, completion_attempts) VALUES (?, ?, ?, ?, ?, ?, ?)",
							rows);
				}
			}

			@Override
			public void resume() {
				new Thread(() -> incomplete.resubmitIncompletePublications((publication) -> true), "resubmit").start();
			}

			@Override
			public void publish(List<BenchOrderPlaced> events) {
				transactions.executeWithoutResult((status) -> events.forEach(publisher::publishEvent));
			}

			@Override
			public long pending() {
				return jdbc.queryForObject("SELECT COUNT(*) FROM event_publication WHERE completion_date IS NULL",
						Long.class);
			}

		};
	}

}
