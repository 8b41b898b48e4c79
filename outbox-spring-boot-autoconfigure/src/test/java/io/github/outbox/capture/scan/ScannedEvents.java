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

package io.github.outbox.capture.scan;

import io.github.outbox.OutboxEvent;

/**
 * Event types found by scanning this package, and types that are not events.
 */
public final class ScannedEvents {

	private ScannedEvents() {
	}

	public record Order(String id) {

	}

	@OutboxEvent(topic = "shipments", key = "order.id")
	public record OrderShipped(Order order) {

	}

	@OutboxEvent(topic = "audit", key = "user()")
	public interface AuditedEvent {

		String user();

	}

	public record UserDeleted(String user) implements AuditedEvent {

	}

	public record NotAnEvent(String id) {

	}

}
