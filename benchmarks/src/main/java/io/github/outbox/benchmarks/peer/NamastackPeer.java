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

import java.util.List;
import java.util.concurrent.ExecutionException;

import io.namastack.outbox.Outbox;
import io.namastack.outbox.OutboxProcessingScheduler;
import io.namastack.outbox.handler.OutboxRecordMetadata;
import io.namastack.outbox.handler.OutboxTypedHandler;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * namastack-outbox with a handler that sends each record through {@link KafkaTemplate}
 * and waits for the acknowledgement, as its own Kafka handler does; records are scheduled
 * with {@link Outbox#schedule(Object, String)} in a transaction.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class NamastackPeer {

	static final String TOPIC = "bench-namastack";

	@Bean
	OutboxTypedHandler<BenchOrderPlaced> kafkaHandler(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
		return new OutboxTypedHandler<>() {

			@Override
			public void handle(BenchOrderPlaced payload, OutboxRecordMetadata metadata) {
				try {
					kafka.send(TOPIC, metadata.getKey(), json.writeValueAsBytes(payload)).get();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException(ex.getCause());
				}
			}

		};
	}

	@Bean
	Peer peer(OutboxProcessingScheduler scheduler, Outbox outbox, TransactionTemplate transactions, JdbcTemplate jdbc) {
		return new Peer() {

			@Override
			public void pause() {
				scheduler.stop();
			}

			@Override
			public void resume() {
				scheduler.start();
			}

			@Override
			public void publish(List<BenchOrderPlaced> events) {
				transactions
					.executeWithoutResult((status) -> events.forEach((event) -> outbox.schedule(event, event.key())));
			}

			@Override
			public long pending() {
				return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_record WHERE status <> 'COMPLETED'",
						Long.class);
			}

		};
	}

}
