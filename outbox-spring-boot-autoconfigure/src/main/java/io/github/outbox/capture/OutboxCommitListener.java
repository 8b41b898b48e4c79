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
package io.github.outbox.capture;

import java.util.List;

import io.github.outbox.store.OutboxMessage;

/**
 * Told when a transaction that wrote outbox events has committed, typically to wake the
 * relay so that the events leave at once instead of at its next poll.
 *
 * @author Outbox contributors
 */
@FunctionalInterface
public interface OutboxCommitListener {

	/**
	 * Called after a transaction that wrote outbox events committed, or when events
	 * became pending again (then with an empty list).
	 * @param messages the events written, in publication order
	 */
	void committed(List<OutboxMessage> messages);

}
