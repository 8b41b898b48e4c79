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

import java.util.concurrent.CompletableFuture;

/**
 * Sends outbox events to the message broker. The relay calls {@link #send} for every
 * event of a batch in order before it awaits the results, so an implementation must keep
 * the order of events with the same key.
 *
 * @author Outbox contributors
 */
@FunctionalInterface
public interface OutboxSender {

	/**
	 * Start sending the given event.
	 * @param record the event
	 * @return a future completed when the broker acknowledged the event, or completed
	 * exceptionally when it could not be sent
	 */
	CompletableFuture<?> send(OutboxRecord record);

	/**
	 * Whether sending an event that failed with the given error may succeed later. An
	 * event failing with a non-retryable error is dead at once instead of using up its
	 * attempts.
	 * @param record the event that failed
	 * @param error the failure
	 * @return {@code true} to retry the event
	 */
	default boolean isRetryable(OutboxRecord record, Throwable error) {
		return true;
	}

	/**
	 * Whether the given error says that the destination could not be reached, rather than
	 * that it refused this event. Such a failed send does not count towards the event's
	 * attempts, so that events do not go dead during an outage, and the relay pauses
	 * while every send of a batch fails this way.
	 * @param error the failure
	 * @return {@code true} if the destination is unavailable
	 */
	default boolean isUnavailable(Throwable error) {
		return false;
	}

	/**
	 * Send at once whatever this sender holds back of the events it was given, and return
	 * when they are sent. The relay calls it after the last event of a batch, before it
	 * awaits the results, so that a sender that gathers events into larger requests
	 * (Kafka's producer with a {@code linger.ms}) does not keep the batch's last events
	 * waiting. Failures are reported by the futures {@link #send} returned.
	 */
	default void flush() {
	}

}
