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
import java.util.concurrent.ConcurrentHashMap;

import io.github.outbox.OutboxEvent;
import io.github.outbox.OutboxPublishException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.PropertyResolver;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Reads and caches the {@link OutboxEvent @OutboxEvent} metadata of event types: the
 * topic with its placeholders resolved, the parsed key expression and the event type.
 *
 * @author Outbox contributors
 */
public class OutboxEventDescriptors {

	private static final Descriptor NOT_ANNOTATED = new Descriptor(Object.class, "", null, "");

	private final ExpressionParser parser = new SpelExpressionParser();

	private final EvaluationContext evaluationContext = new StandardEvaluationContext();

	private final Map<Class<?>, Descriptor> descriptors = new ConcurrentHashMap<>();

	private final PropertyResolver propertyResolver;

	/**
	 * Create an instance.
	 * @param propertyResolver resolves placeholders in topics
	 */
	public OutboxEventDescriptors(PropertyResolver propertyResolver) {
		Assert.notNull(propertyResolver, "'propertyResolver' must not be null");
		this.propertyResolver = propertyResolver;
	}

	/**
	 * Whether the given type is annotated with {@link OutboxEvent @OutboxEvent}.
	 * @param type the event type
	 * @return {@code true} if it is an outbox event
	 */
	public boolean isOutboxEvent(Class<?> type) {
		return AnnotatedElementUtils.hasAnnotation(type, OutboxEvent.class);
	}

	/**
	 * Return the descriptor of the given type.
	 * @param type the event type
	 * @return the descriptor
	 * @throws OutboxPublishException if the type is not annotated or its metadata is
	 * invalid
	 */
	public Descriptor get(Class<?> type) {
		Descriptor descriptor = this.descriptors.computeIfAbsent(type, this::read);
		if (descriptor == NOT_ANNOTATED) {
			throw new OutboxPublishException(
					"Event type " + type.getName() + " is not annotated with @" + OutboxEvent.class.getSimpleName()
							+ ": annotate it or publish it with a topic through the " + "OutboxPublisher");
		}
		return descriptor;
	}

	private Descriptor read(Class<?> type) {
		OutboxEvent annotation = AnnotatedElementUtils.findMergedAnnotation(type, OutboxEvent.class);
		if (annotation == null) {
			return NOT_ANNOTATED;
		}
		String topic;
		Expression key = null;
		try {
			topic = this.propertyResolver.resolveRequiredPlaceholders(annotation.topic());
			if (StringUtils.hasText(annotation.key())) {
				key = this.parser.parseExpression(annotation.key());
			}
		}
		catch (RuntimeException ex) {
			throw new OutboxPublishException(
					"Invalid @" + OutboxEvent.class.getSimpleName() + " on " + type.getName() + ": " + ex.getMessage(),
					ex);
		}
		if (!StringUtils.hasText(topic)) {
			throw new OutboxPublishException(
					"Invalid @" + OutboxEvent.class.getSimpleName() + " on " + type.getName() + ": topic is empty");
		}
		String eventType = StringUtils.hasText(annotation.type()) ? annotation.type() : type.getName();
		return new Descriptor(type, topic, key, eventType);
	}

	/**
	 * Evaluate the key expression of the given descriptor for an event.
	 * @param descriptor the descriptor of the event's type
	 * @param event the event
	 * @return the key, or {@code null} if the type declares no key expression
	 * @throws OutboxPublishException if the expression fails or yields {@code null}: an
	 * event of a keyed type without a key would lose its order and its version guard
	 */
	public @Nullable String key(Descriptor descriptor, Object event) {
		Expression expression = descriptor.key();
		if (expression == null) {
			return null;
		}
		Object value;
		try {
			value = expression.getValue(this.evaluationContext, event);
		}
		catch (RuntimeException ex) {
			throw new OutboxPublishException("Cannot evaluate the key expression '" + expression.getExpressionString()
					+ "' of @" + OutboxEvent.class.getSimpleName() + " on " + descriptor.eventClass().getName() + ": "
					+ ex.getMessage(), ex);
		}
		if (value == null) {
			throw new OutboxPublishException("The key expression '" + expression.getExpressionString() + "' of @"
					+ OutboxEvent.class.getSimpleName() + " on " + descriptor.eventClass().getName()
					+ " yielded null: an event of a keyed type needs a key to keep its order; set the key before "
					+ "publishing, or declare no key on a type whose events need none");
		}
		return value.toString();
	}

	/**
	 * Metadata of an outbox event type.
	 *
	 * @param eventClass the event class
	 * @param topic the topic, placeholders resolved
	 * @param key the parsed key expression or {@code null}
	 * @param type the event type name
	 */
	public record Descriptor(Class<?> eventClass, String topic, @Nullable Expression key, String type) {

	}

}
