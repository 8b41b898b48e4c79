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

package io.github.outbox.sample.payment;

import io.github.outbox.inbox.InboxEvent;
import io.github.outbox.inbox.InboxListener;
import io.github.outbox.inbox.InboxOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Logs the events the inbox skipped.
 */
@Component
class SkippedEventsLogger implements InboxListener {

	private static final Log logger = LogFactory.getLog(SkippedEventsLogger.class);

	@Override
	public void handled(String consumer, InboxEvent event, InboxOutcome outcome) {
		if (outcome != InboxOutcome.PROCESSED) {
			logger.info("Skipped %s event %s of order %s (sequence %s): %s".formatted(outcome.name().toLowerCase(),
					event.id(), event.key(), event.sequence(), (outcome == InboxOutcome.DUPLICATE)
							? "already processed, no second payment" : "older than the last applied"));
		}
	}

}
