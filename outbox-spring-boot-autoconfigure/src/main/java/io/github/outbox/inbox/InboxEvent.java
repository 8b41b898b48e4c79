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

package io.github.outbox.inbox;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What the inbox knows of a received event.
 *
 * @param id the event id, unique per event and stable across redeliveries
 * @param topic the topic it came from
 * @param key the record key, or {@code null}
 * @param sequence the per-key sequence number, or {@code null} if the event has none
 * @author Outbox contributors
 */
public record InboxEvent(String id, String topic, @Nullable String key, @Nullable Long sequence) {

	/**
	 * Longest id and key the inbox tables store, in characters.
	 */
	public static final int MAX_LENGTH = 255;

	/**
	 * Longest topic name, as Kafka allows.
	 */
	public static final int MAX_TOPIC_LENGTH = 249;

	public InboxEvent {
		Assert.hasText(id, "'id' must not be empty");
		requireFits("id", id, MAX_LENGTH);
		Assert.hasText(topic, "'topic' must not be empty");
		requireFits("topic", topic, MAX_TOPIC_LENGTH);
		if (key != null) {
			requireFits("key", key, MAX_LENGTH);
		}
	}

	// A longer value would be truncated by some databases, folding distinct events into
	// one
	private static void requireFits(String name, String value, int maxLength) {
		int length = value.codePointCount(0, value.length());
		Assert.isTrue(length <= maxLength, () -> "The event's " + name + " has " + length
				+ " characters; the inbox stores at most " + maxLength + ": '" + value.substring(0, 40) + "…'");
	}

}
