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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import io.github.outbox.task.OutboxTaskScheduler;
import io.github.outbox.task.OutboxTaskSchedulers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Notifies the relays of other instances that events were committed (PostgreSQL
 * {@code NOTIFY}), after the commit and on a connection and thread of its own. A
 * {@code NOTIFY} inside the business transaction would take PostgreSQL's global
 * notification lock for the whole of its commit, and so serialize the commits of all
 * concurrent writers. Commits that arrive while a notification is being sent, or less
 * than the linger after the start of the last one, are covered by one more notification
 * when the linger ends: the other instances' relays wait for the linger after their last
 * run anyway, and a notification per commit costs the database a transaction of its own
 * per business transaction (the writer instance rows of docs/benchmarks.md). A
 * notification that cannot be sent (the application stops, the database is unreachable)
 * costs only latency: the other relays find the events at their next poll. Where the
 * database cannot notify, it does nothing. Nor does it when the relay of this instance
 * holds the lanes of all the committed events (see {@link OutboxRelay#relaysHere}), as a
 * single instance does: the commit wakes that relay directly, and a notification would
 * only wake it a second time.
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

	private final SingletonSupplier<Optional<OutboxRelay>> localRelay;

	private final long lingerNanos;

	/**
	 * When the last notification started, in {@link System#nanoTime()}.
	 */
	private volatile long lastNotification;

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
		this(store, taskSchedulers, () -> null);
	}

	/**
	 * Create a notifier for the relays of the given store's table, notifying on a thread
	 * of the given schedulers unless the relay of this instance relays the events itself.
	 * @param store the store
	 * @param taskSchedulers the schedulers
	 * @param localRelay the relay of this instance, if any, looked up at the first commit
	 */
	public RelayNotifier(OutboxStore store, OutboxTaskSchedulers taskSchedulers,
			Supplier<@Nullable OutboxRelay> localRelay) {
		this(store, taskSchedulers, localRelay, Duration.ZERO);
	}

	/**
	 * Create a notifier for the relays of the given store's table, notifying on a thread
	 * of the given schedulers unless the relay of this instance relays the events itself,
	 * at most once per linger.
	 * @param store the store
	 * @param taskSchedulers the schedulers
	 * @param localRelay the relay of this instance, if any, looked up at the first commit
	 * @param linger least time between the start of a notification and the next: commits
	 * within it share the next notification, sent when it ends
	 */
	public RelayNotifier(OutboxStore store, OutboxTaskSchedulers taskSchedulers,
			Supplier<@Nullable OutboxRelay> localRelay, Duration linger) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(taskSchedulers, "'taskSchedulers' must not be null");
		Assert.notNull(localRelay, "'localRelay' must not be null");
		Assert.isTrue(linger != null && !linger.isNegative(), "'linger' must not be negative");
		this.store = store;
		this.lingerNanos = linger.toNanos();
		this.lastNotification = System.nanoTime() - this.lingerNanos;
		this.enabled = store.getDialect().canNotifyRelays();
		this.scheduler = taskSchedulers.create("outbox-notify-", SHUTDOWN_TIMEOUT, true);
		this.localRelay = SingletonSupplier.of(() -> Optional.ofNullable(localRelay.get()));
	}

	@Override
	public void committed(List<OutboxMessage> messages) {
		if (!this.enabled || this.localRelay.obtain().filter((relay) -> relay.relaysHere(messages)).isPresent()) {
			return;
		}
		if (this.requested.compareAndSet(false, true)) {
			long wait = this.lastNotification + this.lingerNanos - System.nanoTime();
			try {
				this.scheduler.schedule(this::notifyRelays, this.scheduler.now().plusNanos(Math.max(wait, 0)));
			}
			catch (TaskRejectedException ex) {
				// stopping: the other relays poll
				this.requested.set(false);
			}
		}
	}

	private void notifyRelays() {
		// the start of this notification first: a commit arriving once the request is
		// cleared asks for the next one a linger after it
		this.lastNotification = System.nanoTime();
		// cleared before the notification, so that a commit arriving meanwhile asks for
		// another
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
