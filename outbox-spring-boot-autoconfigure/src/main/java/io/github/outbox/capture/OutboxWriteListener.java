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
 * Told, inside the publishing transaction, right after its outbox events were written and
 * before it commits: the rows are visible on the transaction's connection (for example to
 * read the sequence numbers the database gave them) and invisible to everyone else. Test
 * support uses it; an implementation must be quick, and an exception fails the
 * transaction.
 *
 * @author Outbox contributors
 * @see OutboxCommitListener
 */
@FunctionalInterface
public interface OutboxWriteListener {

	/**
	 * Called in the transaction after the given events were written.
	 * @param messages the events written, in publication order
	 */
	void written(List<OutboxMessage> messages);

}
