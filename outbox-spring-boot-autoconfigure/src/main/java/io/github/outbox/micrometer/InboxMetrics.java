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

package io.github.outbox.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.outbox.inbox.InboxEvent;
import io.github.outbox.inbox.InboxListener;
import io.github.outbox.inbox.InboxOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Micrometer meters of the inbox: {@code outbox.inbox.processed},
 * {@code outbox.inbox.duplicates}, {@code outbox.inbox.stale} and
 * {@code outbox.inbox.gaps}, tagged with the consumer and the topic.
 *
 * @author Outbox contributors
 */
public class InboxMetrics implements InboxListener {

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	/**
	 * Create an instance.
	 * @param registry the registry
	 */
	public InboxMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void handled(String consumer, InboxEvent event, InboxOutcome outcome) {
		String name = switch (outcome) {
			case PROCESSED -> "outbox.inbox.processed";
			case DUPLICATE -> "outbox.inbox.duplicates";
			case STALE -> "outbox.inbox.stale";
		};
		counter(name, consumer, event.topic()).increment();
	}

	@Override
	public void gap(String consumer, InboxEvent event, long missing) {
		counter("outbox.inbox.gaps", consumer, event.topic()).increment(missing);
	}

	private Counter counter(String name, String consumer, String topic) {
		return this.counters.computeIfAbsent(name + '\u0000' + consumer + '\u0000' + topic,
				(id) -> Counter.builder(name).description(switch (name) {
					case "outbox.inbox.processed" -> "Events processed for the first time";
					case "outbox.inbox.duplicates" -> "Redelivered events skipped";
					case "outbox.inbox.stale" -> "Events older than an applied one of their key";
					default -> "Events missing between two processed events of a key";
				}).tags(Tags.of("consumer", consumer, "topic", topic)).register(this.registry));
	}

}
