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

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import io.github.outbox.task.OutboxTaskScheduler;
import io.github.outbox.task.OutboxTaskSchedulers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Wakes the relay when another instance commits events, on PostgreSQL: {@code LISTEN}s on
 * the event table's channel, which every transaction that writes events notifies at
 * commit. Holds one connection of the data source for as long as it runs, and reconnects
 * with backoff when it loses it; polling stays the fallback meanwhile.
 *
 * @author Outbox contributors
 */
public class PostgresRelayWakeUp implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PostgresRelayWakeUp.class);

	private static final int WAIT_MILLIS = 1000;

	/**
	 * Delays between reconnection attempts: 100 ms, doubling up to 30 s, for as long as
	 * it runs.
	 */
	private static final BackOff RECONNECT_BACK_OFF = reconnectBackOff();

	/**
	 * How long stopping waits for the listener to let go of its connection.
	 */
	private static final Duration STOP_TIMEOUT = Duration.ofMillis(WAIT_MILLIS * 3L);

	private final DataSource dataSource;

	private final String channel;

	private final Runnable wakeUp;

	private final boolean enabled;

	private volatile boolean running;

	private volatile @Nullable OutboxTaskScheduler scheduler;

	private volatile @Nullable Thread listener;

	private OutboxTaskSchedulers taskSchedulers = OutboxTaskSchedulers.platformThreads();

	/**
	 * Create an instance.
	 * @param dataSource the data source of the outbox tables
	 * @param channel the channel, the name of the event table
	 * @param wakeUp what to do when events were committed elsewhere
	 * @param enabled whether to listen at all, {@code false} on other databases
	 */
	public PostgresRelayWakeUp(DataSource dataSource, String channel, Runnable wakeUp, boolean enabled) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(channel, "'channel' must not be empty");
		Assert.notNull(wakeUp, "'wakeUp' must not be null");
		this.dataSource = dataSource;
		this.channel = channel;
		this.wakeUp = wakeUp;
		this.enabled = enabled;
	}

	/**
	 * Set what creates the listener's thread. One platform thread by default.
	 * @param taskSchedulers the schedulers
	 */
	public void setTaskSchedulers(OutboxTaskSchedulers taskSchedulers) {
		Assert.notNull(taskSchedulers, "'taskSchedulers' must not be null");
		this.taskSchedulers = taskSchedulers;
	}

	@Override
	public void start() {
		if (!this.enabled) {
			return;
		}
		this.running = true;
		OutboxTaskScheduler scheduler = this.taskSchedulers.create("outbox-wake-up-", STOP_TIMEOUT, true);
		this.scheduler = scheduler;
		scheduler.execute(this::listen);
	}

	@Override
	public void stop() {
		this.running = false;
		Thread listener = this.listener;
		if (listener != null) {
			// wakes it from a wait for notifications or for a reconnection
			listener.interrupt();
		}
		OutboxTaskScheduler scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdown();
			this.scheduler = null;
		}
	}

	private static BackOff reconnectBackOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
		backOff.setMaxInterval(30_000);
		return backOff;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void listen() {
		this.listener = Thread.currentThread();
		try {
			listenUntilStopped();
		}
		finally {
			this.listener = null;
		}
	}

	private void listenUntilStopped() {
		BackOffExecution reconnectDelays = RECONNECT_BACK_OFF.start();
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + this.channel);
				}
				PGConnection pgConnection = connection.unwrap(PGConnection.class);
				reconnectDelays = RECONNECT_BACK_OFF.start();
				// a commit may have happened before LISTEN took effect
				this.wakeUp.run();
				while (this.running) {
					PGNotification[] notifications = pgConnection.getNotifications(WAIT_MILLIS);
					if (notifications != null && notifications.length > 0) {
						this.wakeUp.run();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					return;
				}
				logger.warn("Outbox wake-up listener lost its connection, relying on polling until it is back: "
						+ ex.getMessage());
				try {
					Thread.sleep(reconnectDelays.nextBackOff());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

}
