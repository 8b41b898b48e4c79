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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a {@code @KafkaListener} method idempotent through the {@link Inbox}: it runs at
 * most once per event, in a transaction that also records the event as processed, and is
 * skipped for redeliveries (and for stale events, see {@code outbox.inbox.on-stale}). The
 * method returns {@code null} when skipped.
 * <p>
 * The inbox reads the record's headers: declare a {@code ConsumerRecord} parameter, or
 * let the auto-configured listener container factory hand the record over (it does unless
 * the application defines a {@code RecordInterceptor} of its own).
 *
 * @author Outbox contributors
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

	/**
	 * Name of the consumer: events are deduplicated per consumer. Defaults to the
	 * listener's consumer group id.
	 * @return the consumer name
	 */
	String consumer() default "";

}
