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
import io.github.outbox.capture.OutboxEventDescriptorsTests.Customer;
import io.github.outbox.capture.OutboxEventDescriptorsTests.CustomerChanged;
import io.github.outbox.capture.OutboxEventDescriptorsTests.Heartbeat;
import io.github.outbox.capture.OutboxEventDescriptorsTests.OrderPlaced;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxEventRuntimeHints}, with the event types of
 * {@link OutboxEventDescriptorsTests} and a few of its own.
 */
class OutboxEventRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final RuntimeHints hints = new RuntimeHints();

	@Test
	void recordComponentKeyMakesItsAccessorInvocable() {
		register(OrderPlaced.class);
		assertThat(this.reflection.onMethodInvocation(OrderPlaced.class, "orderId")).accepts(this.hints);
		assertThat(this.reflection.onType(Customer.class)).rejects(this.hints);
	}

	@Test
	void keyPathMakesEveryTypeItStepsThroughInvocable() {
		register(CustomerChanged.class);
		assertThat(this.reflection.onMethodInvocation(CustomerChanged.class, "getCustomer")).accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(Customer.class, "id")).accepts(this.hints);
	}

	@Test
	void methodCallsOfTheKeyAreFollowed() {
		register(Shipped.class);
		assertThat(this.reflection.onMethodInvocation(Shipped.class, "shipment")).accepts(this.hints);
		assertThat(this.reflection.onMethodInvocation(Shipment.class, "number")).accepts(this.hints);
	}

	@Test
	void publicFieldOfTheKeyIsAccessible() {
		register(Tagged.class);
		assertThat(this.reflection.onFieldAccess(Tagged.class, "tag")).accepts(this.hints);
	}

	@Test
	void eventWithoutKeyIsRegisteredSoThatItsAnnotationIsVisible() {
		register(Heartbeat.class);
		assertThat(this.reflection.onType(Heartbeat.class)).accepts(this.hints);
	}

	@Test
	void keyThatDoesNotParseLeavesTheErrorToThePublication() {
		register(Unparsable.class);
		assertThat(this.reflection.onType(Unparsable.class)).accepts(this.hints);
		assertThat(this.hints.reflection().typeHints()).hasSize(1);
	}

	private void register(Class<?> eventType) {
		new OutboxEventRuntimeHints().register(this.hints.reflection(), eventType);
	}

	record Shipment(long number) {

	}

	@OutboxEvent(topic = "shipments", key = "#root.shipment().number()")
	record Shipped(Shipment shipment) {

	}

	@OutboxEvent(topic = "tags", key = "tag")
	static class Tagged {

		public final String tag = "t";

	}

	@OutboxEvent(topic = "broken", key = "customer.(")
	record Unparsable() {

	}

}
