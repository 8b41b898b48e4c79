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

import java.util.List;

/**
 * Writes the events of a transaction into the outbox table, in the transaction bound to
 * the calling thread, in the table's layout: {@link OutboxStore} for the embedded relay,
 * {@link DebeziumOutboxWriter} for Debezium's outbox event router.
 *
 * @author Outbox contributors
 */
public interface OutboxWriter {

	/**
	 * Check, when an event is published, that it can be written in this layout, so that a
	 * bad event fails where it is published instead of at commit.
	 * @param message the event
	 * @throws IllegalArgumentException if the event cannot be written
	 */
	default void check(OutboxMessage message) {
	}

	/**
	 * Write the given events, numbering the events of each topic and key in commit order.
	 * @param messages the events, in publication order
	 */
	void insert(List<OutboxMessage> messages);

}
