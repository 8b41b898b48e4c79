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

package io.github.outbox.capture;

import io.github.outbox.OutboxEvent;
import io.github.outbox.OutboxPublishException;
import io.github.outbox.capture.OutboxEventDescriptors.Descriptor;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OutboxEventDescriptors}.
 */
class OutboxEventDescriptorsTests {

	private final OutboxEventDescriptors descriptors = new OutboxEventDescriptors(
			new MockEnvironment().withProperty("app.topic", "orders-v1"));

	@Test
	void recordComponentIsTheKey() {
		Descriptor descriptor = this.descriptors.get(OrderPlaced.class);
		assertThat(descriptor.topic()).isEqualTo("orders-v1");
		assertThat(descriptor.type()).isEqualTo(OrderPlaced.class.getName());
		assertThat(this.descriptors.key(descriptor, new OrderPlaced("o-1", new Customer(42)))).isEqualTo("o-1");
	}

	@Test
	void nestedPropertyOfAClassIsTheKey() {
		Descriptor descriptor = this.descriptors.get(CustomerChanged.class);
		assertThat(descriptor.type()).isEqualTo("customer.changed");
		assertThat(this.descriptors.key(descriptor, new CustomerChanged(new Customer(7)))).isEqualTo("7");
	}

	@Test
	void withoutKeyExpressionTheKeyIsNull() {
		Descriptor descriptor = this.descriptors.get(Heartbeat.class);
		assertThat(this.descriptors.key(descriptor, new Heartbeat())).isNull();
	}

	@Test
	void keyExpressionYieldingNullIsRejected() {
		Descriptor descriptor = this.descriptors.get(OrderPlaced.class);
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.descriptors.key(descriptor, new OrderPlaced(null, new Customer(1))))
			.withMessageContaining("'orderId'")
			.withMessageContaining(OrderPlaced.class.getName())
			.withMessageContaining("yielded null");
	}

	@Test
	void unannotatedTypeIsRejectedWithAHint() {
		assertThatExceptionOfType(OutboxPublishException.class).isThrownBy(() -> this.descriptors.get(String.class))
			.withMessageContaining("not annotated with @OutboxEvent")
			.withMessageContaining("OutboxPublisher");
		assertThat(this.descriptors.isOutboxEvent(String.class)).isFalse();
		assertThat(this.descriptors.isOutboxEvent(OrderPlaced.class)).isTrue();
	}

	@Test
	void unresolvableTopicPlaceholderIsRejected() {
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.descriptors.get(UnknownTopic.class))
			.withMessageContaining(UnknownTopic.class.getName())
			.withMessageContaining("missing.topic");
	}

	@Test
	void failingKeyExpressionIsRejectedNamingExpressionAndType() {
		Descriptor descriptor = this.descriptors.get(BrokenKey.class);
		assertThatExceptionOfType(OutboxPublishException.class)
			.isThrownBy(() -> this.descriptors.key(descriptor, new BrokenKey(null)))
			.withMessageContaining("'customer.id'")
			.withMessageContaining(BrokenKey.class.getName());
	}

	record Customer(long id) {

	}

	@OutboxEvent(topic = "${app.topic}", key = "orderId")
	record OrderPlaced(String orderId, Customer customer) {

	}

	@OutboxEvent(topic = "customers", key = "customer.id", type = "customer.changed")
	static class CustomerChanged {

		private final Customer customer;

		CustomerChanged(Customer customer) {
			this.customer = customer;
		}

		public Customer getCustomer() {
			return this.customer;
		}

	}

	@OutboxEvent(topic = "heartbeats")
	record Heartbeat() {

	}

	@OutboxEvent(topic = "${missing.topic}")
	record UnknownTopic() {

	}

	@OutboxEvent(topic = "orders", key = "customer.id")
	record BrokenKey(Customer customer) {

	}

}
