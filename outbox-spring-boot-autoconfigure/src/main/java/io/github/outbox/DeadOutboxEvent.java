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

package io.github.outbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An event the relay gave up on: it failed with a non-retryable error or used up its
 * attempts. It stays in the outbox table with its last error until it is retried or
 * discarded through {@link DeadOutboxEvents}.
 *
 * @param id position of the event in the outbox table
 * @param eventId unique id of the event ({@code ce_id})
 * @param topic Kafka topic
 * @param key Kafka record key or {@code null}
 * @param sequence per topic and key sequence number or {@code null}
 * @param type event type
 * @param createdAt when the event was published
 * @param deadAt when the relay gave up
 * @param attempts number of failed send attempts
 * @param lastError the last failure
 * @author Outbox contributors
 */
public record DeadOutboxEvent(long id, String eventId, String topic, @Nullable String key, @Nullable Long sequence,
		String type, Instant createdAt, Instant deadAt, int attempts, @Nullable String lastError) {

}
