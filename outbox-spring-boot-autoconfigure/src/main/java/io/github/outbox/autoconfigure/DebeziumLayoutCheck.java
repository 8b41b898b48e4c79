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

import java.util.Locale;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Startup checks of {@code outbox.table-layout=debezium}: settings that only the embedded
 * relay reads would silently do nothing, so they fail instead.
 *
 * @author Outbox contributors
 */
final class DebeziumLayoutCheck {

	private static final String LAYOUT = "outbox.table-layout=debezium";

	private DebeziumLayoutCheck() {
	}

	static void check(OutboxProperties properties, Environment environment) {
		if (Boolean.TRUE.equals(environment.getProperty("outbox.relay.enabled", Boolean.class))) {
			throw new InvalidConfigurationPropertyValueException("outbox.relay.enabled", true, "With " + LAYOUT
					+ " Debezium relays the events and the embedded relay does not run: remove outbox.relay.enabled, "
					+ "or use outbox.table-layout=relay");
		}
		if (properties.getRetention().getDead() != null) {
			throw new InvalidConfigurationPropertyValueException("outbox.retention.dead",
					properties.getRetention().getDead(), "With " + LAYOUT + " there are no dead events in the "
							+ "application (Kafka Connect handles records it cannot produce): remove outbox.retention.dead");
		}
	}

	static void checkJsonPayload(String contentType) {
		if (!contentType.toLowerCase(Locale.ROOT).contains("json")) {
			throw new IllegalStateException("With " + LAYOUT + " on PostgreSQL the payload column is jsonb, but the "
					+ "OutboxSerializer writes '" + contentType + "': use a JSON serializer, or the embedded relay "
					+ "(outbox.table-layout=relay)");
		}
	}

}
