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

import io.github.outbox.task.OutboxTaskSchedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The schedulers of the starter's background threads, built from Spring Boot's
 * auto-configured scheduler builders: {@link SimpleAsyncTaskSchedulerBuilder} (virtual
 * threads) when {@code spring.threads.virtual.enabled=true} on Java 21 or later,
 * {@link ThreadPoolTaskSchedulerBuilder} otherwise, so that the application's
 * {@code ThreadPoolTaskSchedulerCustomizer}s, {@code SimpleAsyncTaskSchedulerCustomizer}s
 * and task decorator apply. Imported by the auto-configurations that run threads.
 *
 * @author Outbox contributors
 */
@Configuration(proxyBeanMethods = false)
class OutboxTaskSchedulersConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxTaskSchedulers outboxTaskSchedulers(Environment environment,
			ObjectProvider<ThreadPoolTaskSchedulerBuilder> threadPoolBuilder,
			ObjectProvider<SimpleAsyncTaskSchedulerBuilder> simpleAsyncBuilder) {
		if (Threading.VIRTUAL.isActive(environment)) {
			SimpleAsyncTaskSchedulerBuilder builder = simpleAsyncBuilder.getIfAvailable();
			if (builder != null) {
				return OutboxTaskSchedulers.of(builder);
			}
		}
		return OutboxTaskSchedulers.of(threadPoolBuilder.getIfAvailable(ThreadPoolTaskSchedulerBuilder::new));
	}

}
