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

import java.util.List;

/**
 * One outbox library as a user sets it up, driven by {@link PeerMain}.
 */
interface Peer {

	/**
	 * Stop relaying, so that a backlog can be written.
	 */
	void pause();

	/**
	 * Write the given events as a backlog, while paused. The default publishes them in
	 * transactions of 1,000 through the library's own API.
	 * @param events the number of events
	 */
	default void backlog(int events) {
		for (int from = 0; from < events; from += 1000) {
			publish(events(from, Math.min(1000, events - from)));
		}
	}

	/**
	 * Relay again: the clock runs from here.
	 */
	void resume();

	/**
	 * Publish events in one transaction, the way the library's documentation shows.
	 * @param events the events
	 */
	void publish(List<BenchOrderPlaced> events);

	/**
	 * Whether this instance relays the events it writes.
	 * @return {@code true} unless its relay is switched off
	 */
	default boolean relays() {
		return true;
	}

	/**
	 * Events still waiting in the library's table.
	 * @return the number of events not yet relayed
	 */
	long pending();

	/**
	 * The events published in one transaction, numbered from {@code first}.
	 * @param first the number of the first event
	 * @param count the number of events
	 * @return the events
	 */
	static List<BenchOrderPlaced> events(long first, int count) {
		return java.util.stream.LongStream.range(first, first + count).mapToObj(BenchOrderPlaced::of).toList();
	}

}
