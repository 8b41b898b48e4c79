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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxWriter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;

/**
 * Buffers the outbox events of one transaction and writes them with one batch just before
 * it commits, on the transaction's own connection. Runs after every other
 * synchronization's {@code beforeCommit} so that events they publish are included.
 * <p>
 * The paths around that batch keep the promise that an event is written if and only if
 * its transaction commits:
 * <ul>
 * <li>an event published after the batch was written, by a later synchronization's
 * {@code beforeCommit} (a {@code BEFORE_COMMIT} transactional event listener), is written
 * at once, still on the transaction's connection;</li>
 * <li>a synchronization registered during the {@code beforeCommit} phase does not get
 * {@code beforeCommit} itself (the transaction manager runs it over a snapshot): it
 * writes its events in {@code beforeCompletion}, which still precedes the commit, and
 * fails the commit listener loudly if that could not be done;</li>
 * <li>the events published in a savepoint ({@code Propagation.NESTED}) that is rolled
 * back are discarded, those of the outer transaction kept;</li>
 * <li>a capture error that an event multicaster's error handler swallowed fails the
 * commit.</li>
 * </ul>
 *
 * @author Outbox contributors
 */
final class OutboxTransactionSynchronization implements TransactionSynchronization, Ordered {

	private static final Log logger = LogFactory.getLog(OutboxTransactionSynchronization.class);

	private final OutboxWriter store;

	private final OutboxCommitListener commitListener;

	private final OutboxWriteListener writeListener;

	private final List<OutboxMessage> messages = new ArrayList<>();

	private final Map<Object, Integer> savepoints = new IdentityHashMap<>();

	private State state = State.BUFFERING;

	private @Nullable RuntimeException captureFailure;

	private @Nullable RuntimeException writeFailure;

	OutboxTransactionSynchronization(OutboxWriter store, OutboxCommitListener commitListener,
			OutboxWriteListener writeListener) {
		this.store = store;
		this.commitListener = commitListener;
		this.writeListener = writeListener;
	}

	boolean isFor(OutboxWriter store) {
		return this.store == store;
	}

	void add(OutboxMessage message) {
		switch (this.state) {
			case BUFFERING -> this.messages.add(message);
			case WRITTEN -> {
				// published by a synchronization that runs after ours: still before the
				// commit
				this.store.insert(List.of(message));
				this.writeListener.written(List.of(message));
				this.messages.add(message);
			}
			case COMPLETING -> throw new OutboxPublishException("The outbox events of this transaction were already "
					+ "written: an event published while the transaction completes (after beforeCommit) cannot be "
					+ "recorded with it; publish it before the commit or in a BEFORE_COMMIT transactional event listener");
		}
	}

	/**
	 * Return the events buffered and not written yet.
	 * @return the events, in publication order
	 */
	List<OutboxMessage> buffered() {
		return (this.state == State.BUFFERING) ? List.copyOf(this.messages) : List.of();
	}

	/**
	 * Remember a capture failure of this transaction, so that the commit fails even if
	 * the caller never saw the exception (an event multicaster's error handler).
	 * @param failure the failure
	 */
	void failed(RuntimeException failure) {
		if (this.captureFailure == null) {
			this.captureFailure = failure;
		}
	}

	@Override
	public void savepoint(Object savepoint) {
		this.savepoints.put(savepoint, this.messages.size());
	}

	@Override
	public void savepointRollback(Object savepoint) {
		Integer size = this.savepoints.remove(savepoint);
		// a savepoint created before this synchronization existed holds all its events
		int keep = (size != null) ? size : 0;
		if (this.state == State.BUFFERING && keep < this.messages.size()) {
			this.messages.subList(keep, this.messages.size()).clear();
		}
	}

	@Override
	public void beforeCommit(boolean readOnly) {
		if (this.captureFailure != null) {
			throw new OutboxPublishException("An outbox event of this transaction could not be recorded, so the "
					+ "transaction cannot commit: " + this.captureFailure.getMessage(), this.captureFailure);
		}
		write();
	}

	@Override
	public void beforeCompletion() {
		if (this.state == State.BUFFERING && this.captureFailure == null && !this.messages.isEmpty()
				&& !isRollingBack()) {
			// registered while the transaction ran beforeCommit: write now, before the
			// commit
			try {
				write();
			}
			catch (RuntimeException ex) {
				this.writeFailure = ex;
			}
		}
		this.state = State.COMPLETING;
	}

	/**
	 * Whether the transaction manager is rolling back: {@code beforeCompletion} is called
	 * on both paths and only the commit path needs the events written.
	 */
	private static boolean isRollingBack() {
		return StackWalker.getInstance()
			.walk((frames) -> frames.anyMatch((frame) -> "processRollback".equals(frame.getMethodName())
					&& AbstractPlatformTransactionManager.class.getName().equals(frame.getClassName())));
	}

	private void write() {
		this.state = State.WRITTEN;
		if (!this.messages.isEmpty()) {
			this.store.insert(this.messages);
			this.writeListener.written(List.copyOf(this.messages));
		}
	}

	/**
	 * The events are in the database: tell the commit listeners, so that the relay of
	 * this instance wakes for them at once and the relays of other instances are notified
	 * (see {@link CommitListeners}).
	 */
	@Override
	public void afterCommit() {
		if (this.writeFailure != null) {
			logger.error("The transaction committed without its " + this.messages.size() + " outbox event(s) "
					+ "published while it committed: writing them failed", this.writeFailure);
			throw new OutboxPublishException("The transaction committed but its outbox events published during the "
					+ "commit could not be written: " + this.writeFailure.getMessage(), this.writeFailure);
		}
		if (!this.messages.isEmpty()) {
			this.commitListener.committed(List.copyOf(this.messages));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	private enum State {

		/**
		 * Events are buffered until the transaction commits.
		 */
		BUFFERING,

		/**
		 * The buffered events were written; events published now are written at once.
		 */
		WRITTEN,

		/**
		 * The transaction is completing; no event can join it any more.
		 */
		COMPLETING

	}

}
