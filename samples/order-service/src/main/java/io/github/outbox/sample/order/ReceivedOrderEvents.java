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

package io.github.outbox.sample.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * The order events that {@link OrderPlacedListener} received from Kafka.
 *
 * @author Outbox contributors
 */
@Component
public class ReceivedOrderEvents {

	private final List<ReceivedEvent> events = new ArrayList<>();

	synchronized void add(ReceivedEvent event) {
		this.events.add(event);
		notifyAll();
	}

	/**
	 * Return the events received so far.
	 * @return the received events, oldest first
	 */
	public synchronized List<ReceivedEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * Wait until an event was received for each of the given keys.
	 * @param keys the record keys to wait for
	 * @param timeout how long to wait at most
	 * @return the number of the given keys that events were received for
	 * @throws InterruptedException if interrupted while waiting
	 */
	synchronized int awaitKeys(Collection<String> keys, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		int received = countKeys(keys);
		while (received < keys.size() && deadline - System.nanoTime() > 0) {
			TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
			received = countKeys(keys);
		}
		return received;
	}

	private int countKeys(Collection<String> keys) {
		return (int) keys.stream()
			.filter((key) -> this.events.stream().anyMatch((event) -> key.equals(event.key())))
			.count();
	}

	/**
	 * An event received from Kafka.
	 *
	 * @param key the record key
	 * @param sequence the {@code ce_sequence} header
	 * @param id the {@code ce_id} header
	 * @param value the record value, JSON
	 */
	public record ReceivedEvent(String key, String sequence, String id, String value) {

	}

}
