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

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the events an {@link OutboxTestEvents} recorded (see
 * {@link OutboxTestEvents#recorded()} for which events those are). Failure messages list
 * every recorded event.
 *
 * @author Outbox contributors
 * @see OutboxAssertions#assertThat(OutboxTestEvents)
 */
public class OutboxTestEventsAssert extends AbstractAssert<OutboxTestEventsAssert, OutboxTestEvents> {

	OutboxTestEventsAssert(OutboxTestEvents actual) {
		super(actual, OutboxTestEventsAssert.class);
	}

	/**
	 * Verify that at least one event of the given type was recorded.
	 * @param type the event class
	 * @return this
	 */
	public OutboxTestEventsAssert hasRecorded(Class<?> type) {
		return hasRecorded(type, (event) -> true);
	}

	/**
	 * Verify that at least one event of the given type that matches the condition was
	 * recorded.
	 * @param <T> the event class
	 * @param type the event class
	 * @param condition the condition on the event
	 * @return this
	 */
	public <T> OutboxTestEventsAssert hasRecorded(Class<T> type, Predicate<? super T> condition) {
		isNotNull();
		List<T> events = this.actual.recorded(type);
		if (events.stream().noneMatch(condition)) {
			failWithMessage("Expected an outbox event of type %s%s to be recorded, but %s", type.getName(),
					events.isEmpty() ? "" : " matching the condition", recorded());
		}
		return this;
	}

	/**
	 * Verify that no event of the given type was recorded.
	 * @param type the event class
	 * @return this
	 */
	public OutboxTestEventsAssert hasNotRecorded(Class<?> type) {
		isNotNull();
		if (!this.actual.recorded(type).isEmpty()) {
			failWithMessage("Expected no outbox event of type %s to be recorded, but %s", type.getName(), recorded());
		}
		return this;
	}

	/**
	 * Verify that the events recorded with the given key (on any topic), of the types of
	 * the given events, are exactly the given events in that order: the order in which
	 * consumers of the key receive them.
	 * @param key the record key
	 * @param events the expected events, compared with {@code equals} after being read
	 * back with the application's serializer
	 * @return this
	 */
	public OutboxTestEventsAssert hasRecordedInOrder(String key, Object... events) {
		isNotNull();
		Set<Class<?>> types = Arrays.stream(events).map(Object::getClass).collect(Collectors.toSet());
		List<Object> actualEvents = this.actual.recorded()
			.stream()
			.filter((event) -> key.equals(event.key()))
			.flatMap((event) -> types.stream()
				.filter((type) -> this.actual.typeName(type).equals(event.type()))
				.limit(1)
				.map((type) -> (Object) this.actual.serializer().deserialize(event.payload(), type)))
			.toList();
		if (!Objects.equals(actualEvents, List.of(events))) {
			failWithMessage(
					"Expected the outbox events of key '%s' to be, in this order:%n  %s%nbut they were:%n  %s%n%s", key,
					join(List.of(events)), join(actualEvents), recorded());
		}
		return this;
	}

	private String recorded() {
		List<RecordedOutboxEvent> recorded = this.actual.recorded();
		if (recorded.isEmpty()) {
			return "no outbox event was recorded";
		}
		return recorded.size() + " outbox event(s) were recorded:\n  " + join(recorded);
	}

	private static String join(List<?> items) {
		return items.isEmpty() ? "(none)" : items.stream().map(String::valueOf).collect(Collectors.joining("\n  "));
	}

}
