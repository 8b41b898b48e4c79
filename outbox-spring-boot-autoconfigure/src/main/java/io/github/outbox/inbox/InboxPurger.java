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

import java.time.Clock;
import java.time.Duration;

import io.github.outbox.store.RetentionPurger;

/**
 * Purges processed events older than the retention from the inbox, in bounded batches, on
 * a thread of its own.
 *
 * @author Outbox contributors
 */
public class InboxPurger extends RetentionPurger {

	/**
	 * Create a purger.
	 * @param store the inbox store
	 * @param retention how long processed events are remembered
	 * @param interval time between two purges
	 * @param batchSize the maximum number of rows deleted at once
	 * @param clock the clock
	 */
	public InboxPurger(InboxStore store, Duration retention, Duration interval, int batchSize, Clock clock) {
		super("inbox", store::purge, retention, interval, batchSize, clock);
	}

}
