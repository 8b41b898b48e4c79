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

package io.github.outbox.inbox;

/**
 * What a consumer does with an event older than one of the same key it has applied.
 *
 * @author Outbox contributors
 */
public enum StaleEventPolicy {

	/**
	 * Skip it: the listener does not run, and the skip is counted.
	 */
	SKIP,

	/**
	 * Throw a {@link StaleEventException}, so that the listener container's error handler
	 * decides.
	 */
	FAIL

}
