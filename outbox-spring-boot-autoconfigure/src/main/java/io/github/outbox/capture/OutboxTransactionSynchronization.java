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

import java.util.ArrayList;
import java.util.List;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;

import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Buffers the outbox events of one transaction and writes them with one batch just
 * before it commits, on the transaction's own connection. Runs after every other
 * synchronization's {@code beforeCommit} so that events they publish are included.
 *
 * @author Outbox contributors
 */
final class OutboxTransactionSynchronization implements TransactionSynchronization, Ordered {

	private final OutboxStore store;

	private final OutboxCommitListener commitListener;

	private final List<OutboxMessage> messages = new ArrayList<>();

	private boolean written;

	OutboxTransactionSynchronization(OutboxStore store, OutboxCommitListener commitListener) {
		this.store = store;
		this.commitListener = commitListener;
	}

	boolean isFor(OutboxStore store) {
		return this.store == store;
	}

	void add(OutboxMessage message) {
		if (this.written) {
			throw new OutboxPublishException("The outbox events of this transaction were already written: "
					+ "an event published while the transaction completes cannot be recorded");
		}
		this.messages.add(message);
	}

	@Override
	public void beforeCommit(boolean readOnly) {
		this.written = true;
		this.store.insert(this.messages);
	}

	@Override
	public void afterCommit() {
		this.commitListener.committed(List.copyOf(this.messages));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
