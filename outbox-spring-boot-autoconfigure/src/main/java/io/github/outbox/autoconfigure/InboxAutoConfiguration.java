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

package io.github.outbox.autoconfigure;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import io.github.outbox.inbox.Idempotent;
import io.github.outbox.inbox.IdempotentMethodInterceptor;
import io.github.outbox.inbox.Inbox;
import io.github.outbox.inbox.InboxEvent;
import io.github.outbox.inbox.InboxEventExtractor;
import io.github.outbox.inbox.InboxListener;
import io.github.outbox.inbox.InboxOutcome;
import io.github.outbox.inbox.InboxPurger;
import io.github.outbox.inbox.InboxRecordInterceptor;
import io.github.outbox.inbox.InboxStore;
import io.github.outbox.task.OutboxTaskSchedulers;
import io.github.outbox.schema.InboxSchemaInitializer;
import io.github.outbox.schema.InboxScriptSchemaInitializer;
import io.github.outbox.schema.OutboxSchemaRuntimeHints;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Advisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@link Inbox} of the consuming side and of
 * {@link Idempotent @Idempotent} Kafka listener methods.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnClass({ JdbcTemplate.class, RecordInterceptor.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBean(PlatformTransactionManager.class)
@ConditionalOnBooleanProperty(name = "outbox.inbox.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OutboxProperties.class)
@Import(OutboxTaskSchedulersConfiguration.class)
public final class InboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InboxStore inboxStore(DataSource dataSource, OutboxProperties properties,
			ObjectProvider<InboxSchemaInitializer> schemaInitializer,
			ObjectProvider<InboxScriptSchemaInitializer> scriptSchemaInitializer) {
		// the inbox works on its tables: make sure they exist first
		schemaInitializer.ifAvailable((initializer) -> {
		});
		scriptSchemaInitializer.ifAvailable((initializer) -> {
		});
		return new InboxStore(dataSource, properties.getInbox().getTableName());
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnSchemaInitializationCondition.class)
	@ConditionalOnClass(name = "liquibase.integration.spring.SpringLiquibase")
	@ImportRuntimeHints(OutboxSchemaRuntimeHints.class)
	InboxSchemaInitializer inboxSchemaInitializer(DataSource dataSource, OutboxProperties properties,
			ResourceLoader resourceLoader) {
		InboxSchemaInitializer initializer = new InboxSchemaInitializer(dataSource,
				properties.getInbox().getTableName(), resourceLoader);
		initializer.setMode(properties.getSchema().determineMode());
		return initializer;
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnSchemaInitializationCondition.class)
	@ConditionalOnMissingClass("liquibase.integration.spring.SpringLiquibase")
	@ImportRuntimeHints(OutboxSchemaRuntimeHints.class)
	InboxScriptSchemaInitializer inboxScriptSchemaInitializer(DataSource dataSource, OutboxProperties properties,
			ResourceLoader resourceLoader) {
		InboxScriptSchemaInitializer initializer = new InboxScriptSchemaInitializer(dataSource,
				properties.getInbox().getTableName(), resourceLoader);
		initializer.setMode(properties.getSchema().determineMode());
		return initializer;
	}

	@Bean
	@ConditionalOnMissingBean
	Inbox inbox(InboxStore store, PlatformTransactionManager transactionManager, OutboxProperties outboxProperties,
			ObjectProvider<InboxListener> listeners, ObjectProvider<InboxEventExtractor> eventExtractor) {
		OutboxProperties.Inbox properties = outboxProperties.getInbox();
		Inbox inbox = new Inbox(store, transactionManager,
				new Inbox.Settings(properties.getIdHeader(), properties.getSequenceHeader(), properties.getOnStale()),
				new CompositeInboxListener(SingletonSupplier.of(() -> listeners.orderedStream().toList())),
				Clock.systemUTC());
		inbox.setEventExtractor(eventExtractor.getIfUnique());
		return inbox;
	}

	@Bean
	@ConditionalOnMissingBean
	InboxPurger inboxPurger(InboxStore store, OutboxProperties properties, OutboxTaskSchedulers taskSchedulers) {
		OutboxProperties.Inbox inbox = properties.getInbox();
		InboxPurger purger = new InboxPurger(store, inbox.getRetention(), inbox.getPurgeInterval(),
				properties.getRetention().getBatchSize(), Clock.systemUTC());
		purger.setTaskSchedulers(taskSchedulers);
		return purger;
	}

	@Bean
	@ConditionalOnMissingBean(RecordInterceptor.class)
	InboxRecordInterceptor inboxRecordInterceptor() {
		return new InboxRecordInterceptor();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor idempotentListenerAdvisor(ObjectProvider<Inbox> inbox) {
		SingletonSupplier<IdempotentMethodInterceptor> interceptor = SingletonSupplier
			.of(() -> new IdempotentMethodInterceptor(inbox.getObject()));
		MethodInterceptor lazy = (invocation) -> interceptor.obtain().invoke(invocation);
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
				AnnotationMatchingPointcut.forMethodAnnotation(Idempotent.class), lazy);
		// around the listener's own @Transactional, which then joins the inbox's
		// transaction
		advisor.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
		return advisor;
	}

	/**
	 * Tells every listener bean, resolved at first use.
	 */
	private record CompositeInboxListener(SingletonSupplier<List<InboxListener>> listeners) implements InboxListener {

		@Override
		public void handled(String consumer, InboxEvent event, InboxOutcome outcome) {
			this.listeners.obtain().forEach((listener) -> listener.handled(consumer, event, outcome));
		}

		@Override
		public void gap(String consumer, InboxEvent event, long missing) {
			this.listeners.obtain().forEach((listener) -> listener.gap(consumer, event, missing));
		}

	}

}
