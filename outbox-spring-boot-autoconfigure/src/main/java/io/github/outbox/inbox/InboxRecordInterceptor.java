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

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Hands the record being processed to {@link Idempotent @Idempotent} listener methods
 * that do not declare it as a parameter.
 *
 * @author Outbox contributors
 */
public class InboxRecordInterceptor implements RecordInterceptor<Object, Object> {

	private static final ThreadLocal<ConsumerRecord<?, ?>> current = new ThreadLocal<>();

	/**
	 * Return the record the listener of the current thread is processing.
	 * @return the record, or {@code null} if none
	 */
	public static @Nullable ConsumerRecord<?, ?> currentRecord() {
		return current.get();
	}

	@Override
	public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
			Consumer<Object, Object> consumer) {
		current.set(record);
		return record;
	}

	@Override
	public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
		current.remove();
	}

	@Override
	public void clearThreadState(Consumer<?, ?> consumer) {
		current.remove();
	}

}
