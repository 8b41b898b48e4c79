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

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.store.Lanes;
import io.github.outbox.store.OutboxMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On PostgreSQL, the notification that wakes the other instances' relays is sent after
 * the business transaction commits, outside it: a {@code NOTIFY} inside the business
 * transaction would take PostgreSQL's global notification lock for the whole of its
 * commit and so serialize the commits of concurrent writers.
 */
class PostgresCommitNotificationIntegrationTests extends AbstractTwoInstancesIntegrationTests {

	private final List<Executed> executed = new CopyOnWriteArrayList<>();

	@BeforeAll
	void start() {
		startWriting("notified");
		this.writing.close();
		this.writing = initializedInstance(
				(context) -> context.getBeanFactory().addBeanPostProcessor(new StatementRecorder()),
				"outbox.relay.enabled=false");
	}

	@BeforeEach
	void forgetStatements() {
		this.executed.clear();
	}

	@Test
	void otherInstancesAreNotifiedAfterTheCommitOutsideTheBusinessTransaction() throws Exception {
		try (Connection listening = this.database.connect(); Statement statement = listening.createStatement()) {
			statement.execute("LISTEN outbox_event");
			publish(this.writing, "notified-" + UUID.randomUUID(), "notify");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> notificationsOf(listening, 100).length > 0 && !notifications().isEmpty());
			assertThat(notifications()).allSatisfy((notification) -> assertThat(notification.inTransaction())
				.as("in a transaction: %s", notification.sql())
				.isFalse());
		}
	}

	@Test
	void commitsWithinTheLingerAfterANotificationShareTheNextOneWhenTheLingerEnds() {
		try (ConfigurableApplicationContext lingering = initializedInstance(
				(context) -> context.getBeanFactory().addBeanPostProcessor(new StatementRecorder()),
				"outbox.relay.enabled=false", "outbox.relay.linger=2s")) {
			// the first commit after a quiet spell is notified at once
			publish(lingering, "first-" + UUID.randomUUID(), "notify");
			await().atMost(Duration.ofSeconds(5)).until(() -> notifications().size() == 1);
			long committing = System.nanoTime();
			for (int i = 0; i < 10; i++) {
				publish(lingering, "lingering-" + i + "-" + UUID.randomUUID(), "notify");
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> notifications().size() >= 2);
			// not before the linger after the first notification, which started before
			// these commits
			assertThat(Duration.ofNanos(System.nanoTime() - committing)).isGreaterThan(Duration.ofSeconds(1));
			// one notification for the ten commits, and no more after it
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> notifications().size() == 2);
			assertThat(notifications())
				.allSatisfy((notification) -> assertThat(notification.inTransaction()).isFalse());
		}
	}

	@Test
	void rolledBackTransactionNotifiesNobody() throws Exception {
		try (Connection listening = this.database.connect(); Statement statement = listening.createStatement()) {
			statement.execute("LISTEN outbox_event");
			this.writing.getBean(TransactionTemplate.class).executeWithoutResult((status) -> {
				this.writing.publishEvent(new OrderPlaced("rolled-back-" + UUID.randomUUID(), 1, "nothing"));
				status.setRollbackOnly();
			});
			// a notification follows a commit within milliseconds; a second is generous
			assertThat(notificationsOf(listening, 1000)).isEmpty();
			assertThat(notifications()).isEmpty();
		}
	}

	@Test
	void instanceWhoseRelayHoldsTheEventsLanesNotifiesNobody() throws Exception {
		this.relaying = instance(null, "outbox.relay.lease-time=600ms");
		awaitRelayingOwnsAllLanes();
		try (Connection listening = this.database.connect(); Statement statement = listening.createStatement()) {
			statement.execute("LISTEN outbox_event");
			publish(this.relaying, "alone-" + UUID.randomUUID(), "no one else to tell");
			awaitRelayed();
			assertThat(notificationsOf(listening, 1000)).as("notified while holding every lane").isEmpty();
			try (ConfigurableApplicationContext second = instance(null, "outbox.relay.lease-time=600ms")) {
				OutboxRelay first = this.relaying.getBean(OutboxRelay.class);
				OutboxRelay other = second.getBean(OutboxRelay.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> first.getOwnedLanes().size() == 32 && other.getOwnedLanes().size() == 32);
				String ownKey = keyInLanes(first.getOwnedLanes());
				String othersKey = keyInLanes(other.getOwnedLanes());
				assertThat(first.relaysHere(List.of(message(ownKey)))).isTrue();
				assertThat(first.relaysHere(List.of(message(ownKey), message(othersKey)))).isFalse();
				publish(this.relaying, ownKey, "own lane");
				awaitRelayed();
				assertThat(notificationsOf(listening, 1000)).as("notified for an event of a lane held here").isEmpty();
				publish(this.relaying, othersKey, "the other instance's lane");
				await().atMost(Duration.ofSeconds(10)).until(() -> notificationsOf(listening, 100).length > 0);
			}
		}
		finally {
			this.relaying.close();
		}
	}

	@Test
	void stoppedRelayLeavesTheNotificationToOthers() {
		this.relaying = instance(null, "outbox.relay.lease-time=600ms");
		OutboxRelay relay = this.relaying.getBean(OutboxRelay.class);
		awaitRelayingOwnsAllLanes();
		assertThat(relay.relaysHere(List.of(message("stopping")))).isTrue();
		assertThat(relay.relaysHere(List.of())).as("events pending again, of any lane").isFalse();
		relay.stop();
		assertThat(relay.relaysHere(List.of(message("stopping")))).isFalse();
		this.relaying.close();
	}

	private void awaitRelayed() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.relaying.getBean(JdbcTemplate.class)
				.queryForObject("SELECT COUNT(*) FROM outbox_event", Integer.class) == 0);
	}

	private static String keyInLanes(List<Integer> lanes) {
		for (int i = 0;; i++) {
			String key = "order-" + i;
			if (lanes.contains(Lanes.laneOf(key, UUID.randomUUID(), 64))) {
				return key;
			}
		}
	}

	private static OutboxMessage message(String key) {
		return new OutboxMessage(UUID.randomUUID(), "orders", key, "OrderPlaced", new byte[0], Map.of(), Instant.now());
	}

	private static PGNotification[] notificationsOf(Connection listening, int timeoutMillis) throws SQLException {
		PGNotification[] received = listening.unwrap(PGConnection.class).getNotifications(timeoutMillis);
		return (received != null) ? received : new PGNotification[0];
	}

	private List<Executed> notifications() {
		return this.executed.stream().filter((each) -> each.sql().toLowerCase(Locale.ROOT).contains("notify")).toList();
	}

	/**
	 * A statement the application ran, and whether its connection was in a transaction.
	 */
	record Executed(String sql, boolean inTransaction) {
	}

	/**
	 * Records every SQL statement run on the application's data source.
	 */
	private final class StatementRecorder implements BeanPostProcessor {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (!(bean instanceof DataSource dataSource)) {
				return bean;
			}
			return new DelegatingDataSource(dataSource) {

				@Override
				public Connection getConnection() throws SQLException {
					return recording(super.getConnection());
				}

			};
		}

		private Connection recording(Connection connection) {
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					(proxy, method, arguments) -> {
						record(connection, method, arguments);
						Object result = invoke(connection, method, arguments);
						if (result instanceof Statement statement && method.getName().equals("createStatement")) {
							return Proxy.newProxyInstance(getClass().getClassLoader(),
									new Class<?>[] { Statement.class },
									(statementProxy, statementMethod, statementArguments) -> {
										record(connection, statementMethod, statementArguments);
										return invoke(statement, statementMethod, statementArguments);
									});
						}
						return result;
					});
		}

		private void record(Connection connection, Method method, Object[] arguments) throws SQLException {
			if (arguments != null && arguments.length > 0 && arguments[0] instanceof String sql
					&& (method.getName().startsWith("prepare") || method.getName().startsWith("execute")
							|| method.getName().equals("addBatch"))) {
				PostgresCommitNotificationIntegrationTests.this.executed
					.add(new Executed(sql, !connection.getAutoCommit()));
			}
		}

		private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
			try {
				return method.invoke(target, arguments);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
