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

import io.github.outbox.OutboxPublisher;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.util.Assert;

/**
 * Records {@link io.github.outbox.OutboxEvent @OutboxEvent} types published through the
 * {@link org.springframework.context.ApplicationEventPublisher}, including the domain
 * events of Spring Data aggregates.
 * <p>
 * The event is always recorded in the publishing thread, even with an event multicaster
 * that runs listeners on a task executor: the event belongs to the publisher's
 * transaction. If recording fails, the exception reaches the publisher and, should an
 * error handler of the multicaster swallow it, the transaction still cannot commit.
 *
 * @author Outbox contributors
 */
public class OutboxApplicationEventListener implements GenericApplicationListener {

	private final OutboxPublisher publisher;

	private final OutboxEventDescriptors descriptors;

	/**
	 * Create an instance.
	 * @param publisher the publisher that records the events
	 * @param descriptors the event type metadata
	 */
	public OutboxApplicationEventListener(OutboxPublisher publisher, OutboxEventDescriptors descriptors) {
		Assert.notNull(publisher, "'publisher' must not be null");
		Assert.notNull(descriptors, "'descriptors' must not be null");
		this.publisher = publisher;
		this.descriptors = descriptors;
	}

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventClass(eventType);
		return type != null && this.descriptors.isOutboxEvent(type);
	}

	private @Nullable Class<?> eventClass(ResolvableType eventType) {
		Class<?> raw = eventType.resolve();
		if (raw != null && PayloadApplicationEvent.class.isAssignableFrom(raw)) {
			return eventType.as(PayloadApplicationEvent.class).getGeneric().resolve();
		}
		return raw;
	}

	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		Object payload = (event instanceof PayloadApplicationEvent<?> payloadEvent) ? payloadEvent.getPayload() : event;
		if (this.descriptors.isOutboxEvent(payload.getClass())) {
			this.publisher.publish(payload);
		}
	}

}
