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
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.Assert;

/**
 * Checks at startup that the relay's producer keeps the outbox's delivery guarantees:
 * idempotence on, {@code acks=all}, at most 5 requests in flight, and a relay send
 * timeout longer than the producer's {@code delivery.timeout.ms}, so that a batch never
 * ends while Kafka may still deliver its records.
 *
 * @author Outbox contributors
 */
final class OutboxProducerGuarantees {

	private static final String PREFIX = "outbox.kafka.producer.";

	private static final String SEND_TIMEOUT = "outbox.relay.send-timeout";

	private static final int MAX_IN_FLIGHT = 5;

	private OutboxProducerGuarantees() {
	}

	/**
	 * Check the effective configuration of the relay's producer.
	 * @param config the producer's configuration, as it creates its producers
	 * @param properties the outbox properties
	 * @throws RuntimeException naming the property if a setting voids a guarantee
	 */
	static void check(Map<String, Object> config, OutboxProperties properties) {
		Map<String, String> overrides = properties.getKafka().getProducer();
		Object idempotence = config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
		if (idempotence == null || !Boolean.TRUE.equals(
				ConfigDef.parseType(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence, ConfigDef.Type.BOOLEAN))) {
			throw invalid(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence, overrides,
					"must be true: without idempotence a retried send can write a record twice or behind a later "
							+ "record of its key");
		}
		Object acks = config.get(ProducerConfig.ACKS_CONFIG);
		String acksValue = String.valueOf(acks).trim();
		if (!acksValue.equalsIgnoreCase("all") && !acksValue.equals("-1")) {
			throw invalid(ProducerConfig.ACKS_CONFIG, acks, overrides,
					"must be 'all' (or '-1'): the relay counts an event as sent once Kafka acknowledges it, and with "
							+ "fewer acknowledgements a broker failure can still lose the record");
		}
		Object inFlight = config.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
		if (inFlight != null
				&& intValue(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight) > MAX_IN_FLIGHT) {
			throw invalid(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, inFlight, overrides,
					"must be at most " + MAX_IN_FLIGHT + ": an idempotent producer keeps the order of a key's records "
							+ "only up to that");
		}
		long deliveryTimeout = deliveryTimeoutMillis(config);
		Duration sendTimeout = properties.getRelay().getSendTimeout();
		if (sendTimeout != null && sendTimeout.toMillis() <= deliveryTimeout) {
			String origin = describe(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
					config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), overrides);
			throw new InvalidConfigurationPropertyValueException(SEND_TIMEOUT, sendTimeout,
					"must be longer than the producer's '" + ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG + "' ("
							+ deliveryTimeout + " ms" + origin + "): otherwise a batch ends while Kafka may still "
							+ "deliver its records, and they are sent again. Raise " + SEND_TIMEOUT + " or lower "
							+ PREFIX + ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		}
	}

	private static long deliveryTimeoutMillis(Map<String, Object> config) {
		Object value = config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		if (value == null) {
			value = ProducerConfig.configDef().defaultValues().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		}
		Assert.state(value != null, () -> "Kafka has no default for " + ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		return intValue(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, value);
	}

	private static int intValue(String name, Object value) {
		return (Integer) ConfigDef.parseType(name, value, ConfigDef.Type.INT);
	}

	private static RuntimeException invalid(String name, @Nullable Object value, Map<String, String> overrides,
			String reason) {
		if (Objects.equals(overrides.get(name), value)) {
			return new InvalidConfigurationPropertyValueException(PREFIX + name, value, reason);
		}
		return new IllegalStateException("'" + name + "' of the outbox relay's producer is '" + value
				+ "' (set by a DefaultKafkaProducerFactoryCustomizer or a default the outbox does not override): "
				+ reason);
	}

	private static String describe(String name, @Nullable Object value, Map<String, String> overrides) {
		if (value == null) {
			return ", Kafka's default";
		}
		if (Objects.equals(overrides.get(name), value)) {
			return ", from " + PREFIX + name;
		}
		return "";
	}

}
