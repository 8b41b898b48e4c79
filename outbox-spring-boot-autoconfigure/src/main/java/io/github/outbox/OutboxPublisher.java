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

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Records events in the outbox as part of the current transaction. The events are written
 * to the outbox table just before the transaction commits and relayed to Kafka after it
 * committed; a rollback discards them.
 * <p>
 * Publishing an {@link OutboxEvent @OutboxEvent} type through the
 * {@link org.springframework.context.ApplicationEventPublisher} has the same effect as
 * {@link #publish(Object)}.
 *
 * @author Outbox contributors
 */
public interface OutboxPublisher {

	/**
	 * Record an event whose type is annotated with {@link OutboxEvent @OutboxEvent}.
	 * @param event the event
	 * @throws OutboxPublishException if the event cannot be recorded, for example when no
	 * transaction is active or its key expression fails
	 */
	default void publish(Object event) {
		publish(event, Map.of());
	}

	/**
	 * Record an event whose type is annotated with {@link OutboxEvent @OutboxEvent}, with
	 * additional Kafka headers.
	 * @param event the event
	 * @param headers additional headers sent with the Kafka record
	 * @throws OutboxPublishException if the event cannot be recorded
	 */
	void publish(Object event, Map<String, String> headers);

	/**
	 * Record an event of any type for the given topic and key.
	 * @param topic the Kafka topic
	 * @param key the Kafka record key or {@code null}
	 * @param event the event
	 * @throws OutboxPublishException if the event cannot be recorded
	 */
	default void publish(String topic, @Nullable String key, Object event) {
		publish(topic, key, event, Map.of());
	}

	/**
	 * Record an event of any type for the given topic and key, with additional Kafka
	 * headers.
	 * @param topic the Kafka topic
	 * @param key the Kafka record key or {@code null}
	 * @param event the event
	 * @param headers additional headers sent with the Kafka record
	 * @throws OutboxPublishException if the event cannot be recorded
	 */
	void publish(String topic, @Nullable String key, Object event, Map<String, String> headers);

}
