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
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An event captured in a transaction and not yet written to the outbox table.
 *
 * @param eventId unique id of the event, stable across retries
 * @param topic Kafka topic
 * @param key Kafka record key or {@code null}
 * @param type event type
 * @param payload serialized event
 * @param headers headers sent with the Kafka record
 * @param createdAt when the event was published
 * @author Outbox contributors
 */
public record OutboxMessage(UUID eventId, String topic, @Nullable String key, String type, byte[] payload,
		Map<String, String> headers, Instant createdAt) {

	/**
	 * Longest accepted key, in characters.
	 */
	public static final int MAX_KEY_LENGTH = 255;

	/**
	 * Longest accepted topic name, in characters (Kafka's own limit).
	 */
	public static final int MAX_TOPIC_LENGTH = 249;

	public OutboxMessage {
		Assert.notNull(eventId, "'eventId' must not be null");
		Assert.hasText(topic, "'topic' must not be empty");
		Assert.isTrue(topic.length() <= MAX_TOPIC_LENGTH,
				() -> "Topic '" + topic + "' is longer than " + MAX_TOPIC_LENGTH + " characters");
		Assert.isTrue(key == null || key.length() <= MAX_KEY_LENGTH,
				() -> "Key is longer than " + MAX_KEY_LENGTH + " characters: '" + key + "'");
		Assert.hasText(type, "'type' must not be empty");
		Assert.notNull(payload, "'payload' must not be null");
		Assert.notNull(createdAt, "'createdAt' must not be null");
		headers = Map.copyOf(headers);
	}

}
