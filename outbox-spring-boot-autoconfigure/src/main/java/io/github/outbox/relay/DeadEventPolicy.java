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
 * What a dead event means for the later events of its key.
 *
 * @author Outbox contributors
 */
public enum DeadEventPolicy {

	/**
	 * The later events of the key are sent: one dead event does not stop its key. If it
	 * is retried later, it arrives after them.
	 */
	SKIP,

	/**
	 * The later events of the key wait until the dead event is retried or discarded:
	 * strict per-key order at the price of a stalled key.
	 */
	BLOCK

}
