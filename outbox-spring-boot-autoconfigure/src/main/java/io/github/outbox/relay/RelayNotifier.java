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

package io.github.outbox.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.task.OutboxTaskScheduler;
import io.github.outbox.task.OutboxTaskSchedulers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.util.Assert;

/**
 * Notifies the relays of other instances that events were committed (PostgreSQL
 * {@code NOTIFY}), after the commit and on a connection and thread of its own. A
 * {@code NOTIFY} inside the business transaction would take PostgreSQL's global
 * notification lock for the whole of its commit, and so serialize the commits of all
 * concurrent writers. Commits that arrive while a notification is being sent are covered by
 * one more notification after it. A notification that cannot be sent (the application
 * stops, the database is unreachable) costs only latency: the other relays find the events
 * at their next poll. Where the database cannot notify, it does nothing.
 *
 * @author Outbox contributors
 */
public class RelayNotifier implements OutboxCommitListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(RelayNotifier.class);

	private final OutboxStore store;

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final AtomicBoolean requested = new AtomicBoolean();

	private final boolean enabled;

	private final OutboxTaskScheduler scheduler;

	/**
	 * Create a notifier for the relays of the given store's table.
	 * @param store the store
	 */
	public RelayNotifier(OutboxStore store) {
		this(store, OutboxTaskSchedulers.platformThreads());
	}

	/**
	 * Create a notifier for the relays of the given store's table, notifying on a thread
	 * of the given schedulers.
	 * @param store the store
	 * @param taskSchedulers the schedulers
	 */
	public RelayNotifier(OutboxStore store, OutboxTaskSchedulers taskSchedulers) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(taskSchedulers, "'taskSchedulers' must not be null");
		this.store = store;
		this.enabled = store.getDialect().canNotifyRelays();
		this.scheduler = taskSchedulers.create("outbox-notify-", SHUTDOWN_TIMEOUT, true);
	}

	@Override
	public void committed(List<OutboxMessage> messages) {
		if (this.enabled && this.requested.compareAndSet(false, true)) {
			try {
				this.scheduler.execute(this::notifyRelays);
			}
			catch (TaskRejectedException ex) {
				// stopping: the other relays poll
				this.requested.set(false);
			}
		}
	}

	private void notifyRelays() {
		// cleared before the notification, so that a commit arriving meanwhile asks for another
		this.requested.set(false);
		try {
			this.store.notifyRelaysNow();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not notify the outbox relays of other instances, they find the events at their"
					+ " next poll: " + ex.getMessage());
		}
	}

	@Override
	public void destroy() {
		this.scheduler.shutdown();
	}

}
