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

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Tells the inbox what a record is, for records of producers that do not put an event id
 * in a header: for example an id taken from the payload. Define one as a bean to replace
 * the header-based default ({@code outbox.inbox.id-header}).
 *
 * @author Outbox contributors
 */
@FunctionalInterface
public interface InboxEventExtractor {

	/**
	 * Return what the inbox needs to know of the given record.
	 * @param record the record
	 * @return the event, with an id that is unique per event and stable across
	 * redeliveries
	 */
	InboxEvent extract(ConsumerRecord<?, ?> record);

}
