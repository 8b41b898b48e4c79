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
package io.github.outbox.test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An outbox event as {@link OutboxTestEvents#recorded()} shows it: what the relay sends
 * to Kafka for it.
 *
 * @param eventId unique id of the event, sent as {@code ce_id}
 * @param topic Kafka topic
 * @param key Kafka record key or {@code null}
 * @param type event type, sent as {@code ce_type}
 * @param headers the record's headers: the CloudEvents headers ({@code ce_specversion},
 * {@code ce_id}, {@code ce_type}, {@code ce_source}, {@code ce_time} and, for a committed
 * event with a key, {@code ce_sequence}), {@code content-type} and the headers given at
 * publication
 * @param payload serialized event, the record value
 * @param committed whether the event's transaction committed; {@code false} for an event
 * published in the calling thread's transaction that has not committed yet (a
 * test-managed transaction), which has no {@code ce_sequence} yet
 * @author Outbox contributors
 */
public record RecordedOutboxEvent(UUID eventId, String topic, @Nullable String key, String type,
		Map<String, String> headers, byte[] payload, boolean committed) {

	public RecordedOutboxEvent {
		Assert.notNull(eventId, "'eventId' must not be null");
		Assert.notNull(topic, "'topic' must not be null");
		Assert.notNull(type, "'type' must not be null");
		Assert.notNull(payload, "'payload' must not be null");
		headers = Map.copyOf(headers);
	}

	/**
	 * Return the per topic and key sequence number the database gave the event, sent as
	 * {@code ce_sequence}.
	 * @return the sequence, or {@code null} for an event without key or not committed
	 */
	public @Nullable Long sequence() {
		String sequence = this.headers.get("ce_sequence");
		return (sequence != null) ? Long.valueOf(sequence) : null;
	}

	/**
	 * Return the payload as UTF-8 text, for example the JSON the default serializer
	 * wrote.
	 * @return the payload as text
	 */
	public String payloadAsString() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		StringBuilder description = new StringBuilder().append(this.type)
			.append(" topic=")
			.append(this.topic)
			.append(" key=")
			.append(this.key);
		if (sequence() != null) {
			description.append(" ce_sequence=").append(sequence());
		}
		if (!this.committed) {
			description.append(" (not committed: in the current transaction)");
		}
		String payload = payloadAsString();
		return description.append(' ')
			.append((payload.length() > 200) ? payload.substring(0, 200) + "…" : payload)
			.toString();
	}

}
