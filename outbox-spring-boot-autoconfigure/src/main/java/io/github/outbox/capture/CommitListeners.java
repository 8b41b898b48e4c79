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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * The hop from capture to relay: every {@link OutboxCommitListener} bean of the
 * application, told in their order after a transaction with outbox events committed. With
 * the auto-configuration these are the relay of this instance
 * ({@code OutboxRelay.committed} wakes the workers of the events' lanes, so the events
 * leave at once instead of at the next poll), the {@code RelayNotifier} (a PostgreSQL
 * {@code NOTIFY} for the relays of other instances) and the metrics. The listeners are
 * looked up at the first commit, not when the publisher is created, because the relay
 * itself depends on beans created with the publisher.
 *
 * @author Outbox contributors
 * @see OutboxTransactionSynchronization#afterCommit()
 */
public final class CommitListeners implements OutboxCommitListener {

	private static final Log logger = LogFactory.getLog(CommitListeners.class);

	private final SingletonSupplier<List<OutboxCommitListener>> listeners;

	/**
	 * Create a composite of the given listener beans.
	 * @param listeners the listener beans, in their order
	 */
	public CommitListeners(ObjectProvider<OutboxCommitListener> listeners) {
		Assert.notNull(listeners, "'listeners' must not be null");
		this.listeners = SingletonSupplier.of(() -> listeners.orderedStream().toList());
	}

	/**
	 * Tell every listener, in order. A listener that fails is logged and the others are
	 * still told: the transaction has committed, and an exception now would tell its
	 * caller that it failed, inviting a retry that writes the events twice.
	 */
	@Override
	public void committed(List<OutboxMessage> messages) {
		for (OutboxCommitListener listener : this.listeners.obtain()) {
			try {
				listener.committed(messages);
			}
			catch (RuntimeException ex) {
				logger.error("Outbox commit listener " + listener + " failed after the commit of " + messages.size()
						+ " outbox event(s); they are in the outbox table and the relay finds them at its next poll",
						ex);
			}
		}
	}

	/**
	 * Tell the listeners that events became pending again without a capture, for example
	 * dead events sent for another try: the relay looks at once.
	 */
	public void pendingAgain() {
		committed(List.of());
	}

}
