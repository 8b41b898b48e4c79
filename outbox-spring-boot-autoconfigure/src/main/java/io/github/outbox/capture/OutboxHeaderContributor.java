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

package io.github.outbox.capture;

import java.util.Map;

/**
 * Adds headers to each event at publication time, inside the publishing thread, for
 * example the trace context. Headers given to the
 * {@link io.github.outbox.OutboxPublisher} take precedence over contributed ones.
 *
 * @author Outbox contributors
 */
@FunctionalInterface
public interface OutboxHeaderContributor {

	/**
	 * Add headers for the given event.
	 * @param event the event being published
	 * @param headers the headers to add to
	 */
	void contribute(Object event, Map<String, String> headers);

}
