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

import java.util.List;

/**
 * Lists, retries and discards {@link DeadOutboxEvent dead events}.
 *
 * @author Outbox contributors
 */
public interface DeadOutboxEvents {

	/**
	 * Count the dead events.
	 * @return the number of dead events
	 */
	long count();

	/**
	 * List dead events in table order.
	 * @param offset the number of dead events to skip
	 * @param limit the maximum number of dead events to return
	 * @return the dead events
	 */
	List<DeadOutboxEvent> list(int offset, int limit);

	/**
	 * Make a dead event pending again, with a fresh count of attempts.
	 * @param id the id of the event
	 * @return {@code true} if a dead event with that id existed
	 */
	boolean retry(long id);

	/**
	 * Make every dead event pending again.
	 * @return the number of events made pending
	 */
	int retryAll();

	/**
	 * Delete a dead event. It is never sent.
	 * @param id the id of the event
	 * @return {@code true} if a dead event with that id existed
	 */
	boolean discard(long id);

}
