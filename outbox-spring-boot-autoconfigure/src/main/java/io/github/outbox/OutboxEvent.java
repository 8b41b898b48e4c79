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

package io.github.outbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a domain event type whose instances are written to the outbox when they are
 * published inside a transaction, and relayed to Kafka after the transaction commits.
 * <p>
 * Publish an instance with the ordinary
 * {@link org.springframework.context.ApplicationEventPublisher} (or Spring Data's
 * {@code @DomainEvents}) or with {@link OutboxPublisher}: <pre class="code">
 * &#64;OutboxEvent(topic = "orders", key = "orderId")
 * public record OrderPlaced(String orderId, BigDecimal total) {
 * }
 * </pre>
 *
 * @author Outbox contributors
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OutboxEvent {

	/**
	 * Kafka topic the event is sent to. Accepts {@code ${...}} placeholders resolved
	 * against the application's environment.
	 * @return the topic
	 */
	String topic();

	/**
	 * SpEL expression evaluated with the event as root object that yields the Kafka
	 * record key, for example {@code "orderId"} or {@code "customer.id"}. Events with the
	 * same key reach Kafka in the order their transactions committed. Empty means no key;
	 * an expression that yields {@code null} fails the publication.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * Event type, sent as the CloudEvents {@code ce_type} header. Empty means the fully
	 * qualified class name.
	 * @return the event type
	 */
	String type() default "";

}
