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

package io.github.outbox.benchmarks.peer;

import java.util.UUID;

import io.github.outbox.OutboxEvent;

import org.springframework.modulith.events.Externalized;

/**
 * The event every library publishes: about 500 bytes of JSON, 1,000 distinct keys. It
 * carries the annotations of this starter and of Spring Modulith; namastack-outbox needs
 * none. Only one of the libraries is active in a benchmark process.
 *
 * @param orderId the order
 * @param key the aggregate key, one of 1,000
 * @param customer the customer
 * @param amount the amount
 * @param note padding up to about 500 bytes
 */
@OutboxEvent(topic = OutboxPeer.TOPIC, key = "key")
@Externalized(ModulithPeer.TOPIC + "::#{#this.key()}")
public record BenchOrderPlaced(String orderId, String key, String customer, String amount, String note) {

	static final int KEYS = 1000;

	private static final String NOTE = "x".repeat(395);

	static BenchOrderPlaced of(long n) {
		return new BenchOrderPlaced(UUID.randomUUID().toString(), "key-" + (n % KEYS), "customer-0001", "123.45", NOTE);
	}

}
