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

/**
 * Entry point of the AssertJ assertions on {@link OutboxTestEvents}: <pre class="code">
 * assertThat(outboxEvents).hasRecorded(OrderPlaced.class, (event) -&gt; event.orderId().equals(id));
 * </pre>
 *
 * @author Outbox contributors
 */
public final class OutboxAssertions {

	private OutboxAssertions() {
	}

	/**
	 * Create assertions on what the given {@link OutboxTestEvents} recorded.
	 * @param events the recorded events
	 * @return the assertions
	 */
	public static OutboxTestEventsAssert assertThat(OutboxTestEvents events) {
		return new OutboxTestEventsAssert(events);
	}

}
