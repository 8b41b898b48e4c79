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

package io.github.outbox.observation;

import io.github.outbox.sender.OutboxRecord;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * Context of the relay of one outbox event. The event's stored headers are the carrier
 * the tracing handler reads the publishing span's context from, so that the relay's span
 * is a child of the span that published the event.
 *
 * @author Outbox contributors
 */
public class OutboxRelayContext extends ReceiverContext<OutboxRecord> {

	private final OutboxRecord record;

	/**
	 * Create a context for the given event.
	 * @param record the event being relayed
	 */
	public OutboxRelayContext(OutboxRecord record) {
		super((carrier, key) -> carrier.headers().get(key), Kind.CONSUMER);
		setCarrier(record);
		setRemoteServiceName("outbox");
		this.record = record;
	}

	/**
	 * Return the event being relayed.
	 * @return the event
	 */
	public OutboxRecord getRecord() {
		return this.record;
	}

}
