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
package io.github.outbox.test;

import io.github.outbox.autoconfigure.OutboxAutoConfiguration;
import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.capture.OutboxWriteListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxTestAutoConfiguration}.
 */
class OutboxTestAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, OutboxAutoConfiguration.class,
				OutboxTestAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig;DB_CLOSE_DELAY=-1");

	@Test
	void recordsTheOutboxOfTheContext() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(OutboxTestEvents.class)
			.hasBean("outboxTestEventsWriteListener")
			.getBeans(OutboxCommitListener.class)
			.containsKey("outboxTestEventsCommitListener"));
		this.contextRunner.run((context) -> assertThat(context).getBeans(OutboxWriteListener.class).hasSize(1));
	}

	@Test
	void backsOffWithoutTheOutbox() {
		this.contextRunner.withPropertyValues("outbox.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OutboxTestEvents.class));
	}

}
