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

package io.github.outbox.integration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.integration.CapturePathsApplication.Announcement;
import io.github.outbox.integration.CapturePathsApplication.OrderConfirmed;
import io.github.outbox.integration.CapturePathsApplication.OrderPlaced;
import io.github.outbox.integration.CapturePathsApplication.OrderSubmitted;
import io.github.outbox.testsupport.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The paths on which a Spring application hands events to the outbox inside a
 * transaction: listener phases, savepoints, asynchronous and error-handling event
 * multicasters, key expressions. Each test checks what the outbox table holds after the
 * transaction ended, which is exactly what the relay sends, and that
 * {@code outbox.events.recorded} counts only what was written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractCapturePathsIntegrationTests {

	private TestDatabase database;

	private ConfigurableApplicationContext context;

	private ConfigurableApplicationContext asyncContext;

	private TransactionTemplate transactions;

	private TransactionTemplate nested;

	private JdbcTemplate jdbc;

	private OutboxPublisher outbox;

	protected abstract TestDatabase.Kind databaseKind();

	@BeforeAll
	void startApplications() {
		this.database = TestDatabase.create(databaseKind());
		this.context = application().run();
		this.asyncContext = application().sources(AsyncMulticasterConfiguration.class)
			.properties("outbox.schema.mode=never", "spring.liquibase.enabled=false")
			.run();
		PlatformTransactionManager transactionManager = this.context.getBean(PlatformTransactionManager.class);
		this.transactions = new TransactionTemplate(transactionManager);
		this.nested = new TransactionTemplate(transactionManager);
		this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.jdbc = this.context.getBean(JdbcTemplate.class);
		this.outbox = this.context.getBean(OutboxPublisher.class);
	}

	private SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(CapturePathsApplication.class).web(WebApplicationType.NONE)
			.properties(this.database.springProperties())
			.properties("spring.application.name=capture-paths",
					"spring.liquibase.change-log=classpath:app/changelog.xml", "spring.flyway.enabled=false",
					"test.topic=capture-paths", "outbox.relay.enabled=false");
	}

	@AfterAll
	void stopApplications() {
		if (this.asyncContext != null) {
			this.asyncContext.close();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void whenBeforeCommitListenerPublishesTheFirstEventThenItIsWrittenWithTheTransaction() {
		String orderId = uniqueKey();
		double recorded = recorded(this.context);
		this.transactions.executeWithoutResult((status) -> {
			insertOrder(orderId);
			this.context.publishEvent(new OrderSubmitted(orderId, "converted"));
		});
		assertThat(notes(orderId)).containsExactly("converted");
		assertThat(sequences(orderId)).containsExactly(1L);
		assertThat(recorded(this.context) - recorded).isEqualTo(1);
	}

	@Test
	void whenBeforeCommitListenerPublishesAfterEarlierEventsThenAllAreWrittenInOrder() {
		String orderId = uniqueKey();
		double recorded = recorded(this.context);
		this.transactions.executeWithoutResult((status) -> {
			this.context.publishEvent(new OrderPlaced(orderId, "first"));
			this.context.publishEvent(new OrderSubmitted(orderId, "second"));
		});
		assertThat(notes(orderId)).containsExactly("first", "second");
		assertThat(sequences(orderId)).containsExactly(1L, 2L);
		assertThat(recorded(this.context) - recorded).isEqualTo(2);
	}

	@Test
	void whenCommitFailsAfterBeforeCommitListenerPublishedThenNothingIsWritten() {
		String orderId = uniqueKey();
		double recorded = recorded(this.context);
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult((status) -> {
			insertOrder(orderId);
			this.context.publishEvent(new OrderSubmitted(orderId, "rolled back"));
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void beforeCommit(boolean readOnly) {
					throw new IllegalStateException("commit refused");
				}

			});
		})).withMessage("commit refused");
		assertThat(orders(orderId)).isZero();
		assertThat(notes(orderId)).isEmpty();
		assertThat(recorded(this.context) - recorded).isZero();
	}

	@Test
	void whenAfterCommitListenerPublishesThenTheEventIsRefusedLoudly(CapturedOutput output) {
		String orderId = uniqueKey();
		this.transactions.executeWithoutResult((status) -> {
			insertOrder(orderId);
			this.context.publishEvent(new OrderConfirmed(orderId));
		});
		assertThat(orders(orderId)).isOne();
		assertThat(notes(orderId)).isEmpty();
		assertThat(output).contains("The transaction is completing (an AFTER_COMMIT");
	}

	@Test
	void whenInnerTransactionRequiresNewThenItsEventsCommitWithIt() {
		String orderId = uniqueKey();
		TransactionTemplate requiresNew = new TransactionTemplate(this.transactions.getTransactionManager());
		requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult((outer) -> {
			this.outbox.publish(new OrderPlaced(orderId, "outer"));
			requiresNew.executeWithoutResult((inner) -> this.outbox.publish(new OrderPlaced(orderId, "inner")));
			throw new IllegalStateException("outer rolled back");
		}));
		assertThat(notes(orderId)).containsExactly("inner");
	}

	@Test
	void whenNestedTransactionRollsBackThenOnlyItsEventsAreDiscarded() {
		String orderId = uniqueKey();
		double recorded = recorded(this.context);
		this.transactions.executeWithoutResult((outer) -> {
			this.outbox.publish(new OrderPlaced(orderId, "before"));
			this.nested.executeWithoutResult((savepoint) -> {
				insertOrder(orderId);
				this.outbox.publish(new OrderPlaced(orderId, "rolled back"));
				savepoint.setRollbackOnly();
			});
			this.nested.executeWithoutResult((savepoint) -> this.outbox.publish(new OrderPlaced(orderId, "kept")));
			this.outbox.publish(new OrderPlaced(orderId, "after"));
		});
		assertThat(orders(orderId)).isZero();
		assertThat(notes(orderId)).containsExactly("before", "kept", "after");
		assertThat(sequences(orderId)).containsExactly(1L, 2L, 3L);
		assertThat(recorded(this.context) - recorded).isEqualTo(3);
	}

	@Test
	void whenNestedTransactionThatPublishedTheFirstEventRollsBackThenItsEventIsDiscarded() {
		String orderId = uniqueKey();
		this.transactions.executeWithoutResult((outer) -> {
			insertOrder(orderId);
			assertThatIllegalStateException().isThrownBy(() -> this.nested.executeWithoutResult((savepoint) -> {
				this.context.publishEvent(new OrderPlaced(orderId, "rolled back"));
				this.nested.executeWithoutResult((inner) -> this.outbox.publish(new OrderPlaced(orderId, "inner")));
				throw new IllegalStateException("savepoint rolled back");
			}));
		});
		assertThat(orders(orderId)).isOne();
		assertThat(notes(orderId)).isEmpty();
	}

	@Test
	void whenNestedTransactionInsideARolledBackOneCommitsThenItsEventsAreDiscardedWithTheOuterSavepoint() {
		String orderId = uniqueKey();
		this.transactions.executeWithoutResult((outer) -> {
			this.outbox.publish(new OrderPlaced(orderId, "outer"));
			this.nested.executeWithoutResult((savepoint) -> {
				this.outbox.publish(new OrderPlaced(orderId, "middle"));
				this.nested.executeWithoutResult((inner) -> this.outbox.publish(new OrderPlaced(orderId, "inner")));
				savepoint.setRollbackOnly();
			});
		});
		assertThat(notes(orderId)).containsExactly("outer");
	}

	@Test
	void whenKeyExpressionYieldsNullThenPublishingFailsAndTheBusinessChangeRollsBack() {
		String orderId = uniqueKey();
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.transactions.executeWithoutResult((status) -> {
				insertOrder(orderId);
				this.context.publishEvent(new OrderPlaced(null, "no key"));
			}))
			.withMessageContaining(OrderPlaced.class.getName())
			.withMessageContaining("'orderId'")
			.withMessageContaining("null");
		assertThatExceptionOfType(OutboxPublishException.class).isThrownBy(() -> this.transactions
			.executeWithoutResult((status) -> this.outbox.publish(new OrderPlaced(null, "no key"))));
		assertThat(orders(orderId)).isZero();
	}

	@Test
	void whenTypeDeclaresNoKeyThenEventIsKeyless() {
		String text = uniqueKey();
		this.transactions.executeWithoutResult((status) -> this.context.publishEvent(new Announcement(text)));
		List<String> keys = this.jdbc.query("SELECT event_key, payload FROM outbox_event", (rs, row) -> {
			String payload = new String(rs.getBytes(2), StandardCharsets.UTF_8);
			return payload.contains(text) ? String.valueOf(rs.getString(1)) : null;
		}).stream().filter(Objects::nonNull).toList();
		assertThat(keys).containsExactly("null");
	}

	@Test
	void whenMulticasterIsAsynchronousThenEventIsCapturedInThePublishingTransaction() {
		String orderId = uniqueKey();
		TransactionTemplate transactions = new TransactionTemplate(
				this.asyncContext.getBean(PlatformTransactionManager.class));
		transactions.executeWithoutResult((status) -> {
			insertOrder(this.asyncContext, orderId);
			this.asyncContext.publishEvent(new OrderPlaced(orderId, "async multicaster"));
		});
		// no waiting: the row was written by the publishing transaction itself
		assertThat(notes(orderId)).containsExactly("async multicaster");
		String rolledBack = uniqueKey();
		assertThatIllegalStateException().isThrownBy(() -> transactions.executeWithoutResult((status) -> {
			this.asyncContext.publishEvent(new OrderPlaced(rolledBack, "rolled back"));
			throw new IllegalStateException("business failure");
		}));
		assertThat(notes(rolledBack)).isEmpty();
	}

	@Test
	void whenMulticasterHasAnErrorHandlerThenCaptureErrorStillFailsTheTransaction() {
		String orderId = uniqueKey();
		TransactionTemplate transactions = new TransactionTemplate(
				this.asyncContext.getBean(PlatformTransactionManager.class));
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> transactions.executeWithoutResult((status) -> {
				insertOrder(this.asyncContext, orderId);
				this.asyncContext.publishEvent(new OrderPlaced(null, "no key"));
			}))
			.withMessageContaining("'orderId'");
		assertThat(orders(orderId)).isZero();
		assertThat(notes(orderId)).isEmpty();
	}

	private double recorded(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class)
			.find("outbox.events.recorded")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private void insertOrder(String id) {
		insertOrder(this.context, id);
	}

	private void insertOrder(ConfigurableApplicationContext context, String id) {
		context.getBean(JdbcTemplate.class).update("INSERT INTO orders (id, amount) VALUES (?, ?)", id, 1);
	}

	private int orders(String id) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE id = ?", Integer.class, id);
	}

	private List<String> notes(String key) {
		return this.jdbc.query("SELECT payload FROM outbox_event WHERE event_key = ? ORDER BY id",
				(rs, row) -> new String(rs.getBytes(1), StandardCharsets.UTF_8).replaceAll(".*\"note\":\"([^\"]*)\".*",
						"$1"),
				key);
	}

	private List<Long> sequences(String key) {
		return this.jdbc.queryForList("SELECT event_sequence FROM outbox_event WHERE event_key = ? ORDER BY id",
				Long.class, key);
	}

	private static String uniqueKey() {
		return "order-" + UUID.randomUUID().toString().substring(0, 13);
	}

	/**
	 * An application event multicaster that runs listeners on other threads and hands
	 * their errors to an error handler instead of the publisher.
	 */
	@Configuration(proxyBeanMethods = false)
	static class AsyncMulticasterConfiguration {

		@Bean
		SimpleApplicationEventMulticaster applicationEventMulticaster() {
			SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
			multicaster.setTaskExecutor(new SimpleAsyncTaskExecutor("async-listener-"));
			multicaster.setErrorHandler((error) -> {
				// swallowed, as a logging error handler does
			});
			return multicaster;
		}

	}

}
