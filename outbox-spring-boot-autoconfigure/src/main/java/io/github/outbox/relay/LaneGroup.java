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

package io.github.outbox.relay;

/**
 * The lanes whose number leaves the given remainder divided by the given count: the lanes
 * one {@link RelayWorker} relays.
 *
 * @param count the number of groups
 * @param index the remainder of this group's lanes
 * @author Outbox contributors
 */
record LaneGroup(int count, int index) {

	/**
	 * All lanes, one group.
	 */
	static final LaneGroup ALL = new LaneGroup(1, 0);

	/**
	 * Return whether the given lane is one of this group's.
	 * @param lane the lane
	 * @return whether it is
	 */
	boolean contains(int lane) {
		return lane % this.count == this.index;
	}

}
