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
package io.github.outbox.sender;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An event stored in the outbox table, waiting to be relayed.
 *
 * @param id position of the row in the table; for one key, rows are numbered in the order
 * their transactions committed
 * @param eventId unique id of the event, stable across retries
 * @param lane lane the key hashes to
 * @param topic Kafka topic
 * @param key Kafka record key or {@code null}
 * @param sequence per topic and key sequence number, starting at 1, or {@code null}
 * without a key
 * @param type event type
 * @param payload serialized event
 * @param headers headers sent with the Kafka record
 * @param createdAt when the event was published
 * @param attempts failed send attempts so far
 * @author Outbox contributors
 */
public record OutboxRecord(long id, String eventId, int lane, String topic, @Nullable String key,
		@Nullable Long sequence, String type, byte[] payload, Map<String, String> headers, Instant createdAt,
		int attempts) {

}
