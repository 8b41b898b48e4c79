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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.task.OutboxTaskSchedulers;
import io.github.outbox.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OutboxTaskSchedulersConfiguration}: the starter's threads are built
 * from Spring Boot's scheduler builders, on PostgreSQL (where all of them run).
 */
class OutboxTaskSchedulersConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, JacksonAutoConfiguration.class,
				KafkaAutoConfiguration.class, OutboxAutoConfiguration.class, OutboxKafkaAutoConfiguration.class,
				OutboxRelayAutoConfiguration.class, InboxAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
		.withUserConfiguration(RecordingSenderConfiguration.class);

	@Test
	void theStartersThreadsAreBuiltWithTheApplicationsSchedulerCustomizers() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			this.contextRunner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
				.withUserConfiguration(RecordingCustomizerConfiguration.class)
				.withPropertyValues(database.springProperties())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Set<String> prefixes = context.getBean(RecordingCustomizerConfiguration.class).prefixes;
					assertThat(prefixes).contains("outbox-relay-0-", "outbox-relay-1-", "outbox-lease-",
							"outbox-lease-extension-", "outbox-monitor-", "outbox-notify-", "outbox-wake-up-",
							"outbox-inbox-purge-");
					assertRelaysOnItsOwnThreads(context.getBean(OutboxPublisher.class),
							context.getBean(PlatformTransactionManager.class),
							context.getBean(RecordingSenderConfiguration.class));
				});
		}
	}

	@Test
	void withoutSpringBootsBuildersTheThreadsArePlatformThreadsOfTheirOwn() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			this.contextRunner.withPropertyValues(database.springProperties()).run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(OutboxTaskSchedulers.class);
				assertRelaysOnItsOwnThreads(context.getBean(OutboxPublisher.class),
						context.getBean(PlatformTransactionManager.class),
						context.getBean(RecordingSenderConfiguration.class));
			});
		}
	}

	@Test
	void anOutboxTaskSchedulersBeanOfTheApplicationReplacesTheStartersOwn() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			this.contextRunner.withUserConfiguration(OwnSchedulersConfiguration.class)
				.withPropertyValues(database.springProperties())
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(OwnSchedulersConfiguration.class).prefixes).contains("outbox-relay-0-",
							"outbox-lease-", "outbox-monitor-");
				});
		}
	}

	private static void assertRelaysOnItsOwnThreads(OutboxPublisher publisher, PlatformTransactionManager transactions,
			RecordingSenderConfiguration sender) {
		new TransactionTemplate(transactions)
			.executeWithoutResult((status) -> publisher.publish("orders", "k1", Map.of("id", 1)));
		await().atMost(Duration.ofSeconds(10)).until(() -> !sender.threads.isEmpty());
		assertThat(sender.threads).allSatisfy((thread) -> assertThat(thread).startsWith("outbox-relay-"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingSenderConfiguration {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Bean
		OutboxSender recordingSender() {
			return (record) -> {
				this.threads.add(Thread.currentThread().getName());
				return CompletableFuture.completedFuture(null);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingCustomizerConfiguration {

		final Set<String> prefixes = ConcurrentHashMap.newKeySet();

		@Bean
		ThreadPoolTaskSchedulerCustomizer recordingCustomizer() {
			return (scheduler) -> this.prefixes.add(scheduler.getThreadNamePrefix());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSchedulersConfiguration {

		final Set<String> prefixes = ConcurrentHashMap.newKeySet();

		@Bean
		OutboxTaskSchedulers ownSchedulers() {
			OutboxTaskSchedulers platform = OutboxTaskSchedulers.platformThreads();
			return (prefix, awaitTermination, daemon) -> {
				this.prefixes.add(prefix);
				return platform.create(prefix, awaitTermination, daemon);
			};
		}

	}

}
