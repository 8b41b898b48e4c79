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
 * Told what the inbox did, typically to record metrics.
 *
 * @author Outbox contributors
 */
public interface InboxListener {

	/**
	 * Called after the transaction that handled the event ended.
	 * @param consumer the consumer
	 * @param event the event
	 * @param outcome what the inbox did with it
	 */
	default void handled(String consumer, InboxEvent event, InboxOutcome outcome) {
	}

	/**
	 * Called when events of a key are missing between the last applied one and this one.
	 * @param consumer the consumer
	 * @param event the event after the gap
	 * @param missing the number of missing events
	 */
	default void gap(String consumer, InboxEvent event, long missing) {
	}

}
