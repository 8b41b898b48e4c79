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

/**
 * Thrown when an event is older than one of the same key the consumer has applied, and
 * stale events fail.
 *
 * @author Outbox contributors
 */
public class StaleEventException extends RuntimeException {

	private final InboxEvent event;

	private final long lastSequence;

	/**
	 * Create an exception.
	 * @param consumer the consumer
	 * @param event the stale event
	 * @param lastSequence the sequence applied last for its key
	 */
	public StaleEventException(String consumer, InboxEvent event, long lastSequence) {
		super("Stale event " + event.id() + " for consumer '" + consumer + "': sequence " + event.sequence()
				+ " of key '" + event.key() + "' on topic '" + event.topic() + "' is not after the applied "
				+ lastSequence);
		this.event = event;
		this.lastSequence = lastSequence;
	}

	public InboxEvent getEvent() {
		return this.event;
	}

	public long getLastSequence() {
		return this.lastSequence;
	}

}
