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
package io.github.outbox.store;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Maps keys to lanes. All events of one key share a lane, and one relay at a time works
 * on a lane, which keeps the key's events in order. The mapping only depends on the key's
 * UTF-8 bytes and the lane count, so every instance and version computes the same lane.
 *
 * @author Outbox contributors
 */
public final class Lanes {

	private Lanes() {
	}

	/**
	 * Return the lane of an event.
	 * @param key the event key, or {@code null} to spread key-less events by id
	 * @param eventId the event id
	 * @param lanes the number of lanes
	 * @return the lane, from 0 to {@code lanes - 1}
	 */
	public static int laneOf(@Nullable String key, UUID eventId, int lanes) {
		int hash = (key != null) ? fnv1a(key.getBytes(StandardCharsets.UTF_8)) : eventId.hashCode();
		return Math.floorMod(hash, lanes);
	}

	private static int fnv1a(byte[] bytes) {
		int hash = 0x811c9dc5;
		for (byte b : bytes) {
			hash ^= (b & 0xff);
			hash *= 0x01000193;
		}
		return hash;
	}

}
