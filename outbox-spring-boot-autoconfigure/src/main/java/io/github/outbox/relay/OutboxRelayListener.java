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

package io.github.outbox.relay;

import java.time.Duration;
import java.time.Instant;

import io.github.outbox.sender.OutboxRecord;

/**
 * Told what the relay did, typically to record metrics. Called on the relay's worker
 * thread after the batch's transaction committed, so implementations must be quick and
 * must not throw. With {@code outbox.relay.concurrency} above 1, several workers call it
 * at once: implementations must be thread-safe.
 *
 * @author Outbox contributors
 */
public interface OutboxRelayListener {

	/**
	 * Called for each event the broker acknowledged and that was removed from the table.
	 * @param record the event
	 * @param acknowledgedAt when the acknowledgements of its batch were in
	 */
	default void delivered(OutboxRecord record, Instant acknowledgedAt) {
	}

	/**
	 * Called for each failed send attempt.
	 * @param record the event
	 * @param error the failure
	 * @param dead whether the event is dead from now on
	 */
	default void failed(OutboxRecord record, Throwable error, boolean dead) {
	}

	/**
	 * Called after each batch that read events.
	 * @param size the number of events read
	 * @param duration how long the batch took, from reading to commit
	 */
	default void batchCompleted(int size, Duration duration) {
	}

}
