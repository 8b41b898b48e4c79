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

import java.util.List;

import javax.sql.DataSource;

import io.github.outbox.OutboxSerializer;
import io.github.outbox.autoconfigure.OutboxAutoConfiguration;
import io.github.outbox.autoconfigure.OutboxProperties;
import io.github.outbox.autoconfigure.OutboxRelayAutoConfiguration;
import io.github.outbox.capture.OutboxCapture;
import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.capture.OutboxEventDescriptors;
import io.github.outbox.capture.OutboxWriteListener;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.relay.OutboxRelayListener;
import io.github.outbox.store.OutboxStore;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of {@link OutboxTestEvents} in tests: on the test classpath it
 * records what the application's outbox captures.
 *
 * @author Outbox contributors
 */
@AutoConfiguration(after = { OutboxAutoConfiguration.class, OutboxRelayAutoConfiguration.class })
@ConditionalOnBean({ OutboxStore.class, OutboxSerializer.class, OutboxEventDescriptors.class })
public final class OutboxTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxTestEvents outboxTestEvents(DataSource dataSource, OutboxStore store, OutboxSerializer serializer,
			OutboxEventDescriptors descriptors, ObjectProvider<OutboxCapture> capture,
			ObjectProvider<OutboxRelay> relay, ObjectProvider<OutboxProperties> properties, Environment environment) {
		return new OutboxTestEvents(dataSource, store.getTables().events(), serializer, descriptors, () -> {
			OutboxCapture outboxCapture = capture.getIfUnique();
			return (outboxCapture != null) ? outboxCapture.publishedInCurrentTransaction() : List.of();
		}, relay::getIfUnique, source(properties.getIfAvailable(), environment));
	}

	@Bean
	OutboxWriteListener outboxTestEventsWriteListener(OutboxTestEvents events) {
		return events::written;
	}

	@Bean
	OutboxCommitListener outboxTestEventsCommitListener(OutboxTestEvents events) {
		return events::committed;
	}

	@Bean
	OutboxRelayListener outboxTestEventsRelayListener(OutboxTestEvents events) {
		return new OutboxRelayListener() {

			@Override
			public void batchCompleted(int size, java.time.Duration duration) {
				events.relayProgressed();
			}

		};
	}

	private static String source(@Nullable OutboxProperties properties, Environment environment) {
		if (properties != null && StringUtils.hasText(properties.getSource())) {
			return properties.getSource();
		}
		return environment.getProperty("spring.application.name", "outbox");
	}

}
