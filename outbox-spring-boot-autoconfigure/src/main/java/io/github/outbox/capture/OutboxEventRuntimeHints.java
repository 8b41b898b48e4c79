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

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import io.github.outbox.OutboxEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.ast.CompoundExpression;
import org.springframework.expression.spel.ast.MethodReference;
import org.springframework.expression.spel.ast.PropertyOrFieldReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.StringUtils;

/**
 * Reflection hints that a native image needs to capture the events of an
 * {@link OutboxEvent @OutboxEvent} type. {@link OutboxEventDescriptors} reads the
 * annotation of the event's class and evaluates the key expression with SpEL, which finds
 * and calls the event's accessors, methods and public fields by reflection: the event
 * type is registered for that, and so is every type the expression steps through
 * ({@code customer.id} reads {@code customer} on the event, then {@code id} on the
 * customer).
 *
 * @author Outbox contributors
 */
final class OutboxEventRuntimeHints {

	private static final MemberCategory[] KEY_ACCESS = { MemberCategory.INVOKE_PUBLIC_METHODS,
			MemberCategory.ACCESS_PUBLIC_FIELDS };

	private final SpelExpressionParser parser = new SpelExpressionParser();

	/**
	 * Register the hints of the given event type.
	 * @param hints the reflection hints to add to
	 * @param eventType the event type, annotated with {@link OutboxEvent @OutboxEvent}
	 * directly or through an interface
	 */
	void register(ReflectionHints hints, Class<?> eventType) {
		hints.registerType(eventType, KEY_ACCESS);
		OutboxEvent annotation = AnnotatedElementUtils.findMergedAnnotation(eventType, OutboxEvent.class);
		if (annotation == null || !StringUtils.hasText(annotation.key())) {
			return;
		}
		Class<?> type = eventType;
		for (SpelNode step : steps(annotation.key())) {
			hints.registerType(type, KEY_ACCESS);
			Class<?> next = resultType(type, step);
			if (next == null) {
				return;
			}
			type = next;
		}
	}

	private List<SpelNode> steps(String expression) {
		SpelNode ast;
		try {
			ast = this.parser.parseRaw(expression).getAST();
		}
		catch (ParseException ex) {
			// the publication reports it, with the event type, when the expression is
			// used
			return List.of();
		}
		if (!(ast instanceof CompoundExpression)) {
			return List.of(ast);
		}
		List<SpelNode> steps = new ArrayList<>(ast.getChildCount());
		for (int i = 0; i < ast.getChildCount(); i++) {
			steps.add(ast.getChild(i));
		}
		return steps;
	}

	/**
	 * The type a step of the expression yields on a value of the given type, as SpEL's
	 * reflective accessors resolve it, or {@code null} if the step cannot be followed
	 * without evaluating it.
	 */
	private static @Nullable Class<?> resultType(Class<?> type, SpelNode step) {
		if (step instanceof PropertyOrFieldReference property) {
			return propertyType(type, property.getName());
		}
		if (step instanceof MethodReference method) {
			Method match = publicMethod(type, method.getName(), method.getChildCount());
			return (match != null) ? match.getReturnType() : null;
		}
		if (step instanceof VariableReference variable
				&& (variable.toStringAST().equals("#root") || variable.toStringAST().equals("#this"))) {
			return type;
		}
		return null;
	}

	private static @Nullable Class<?> propertyType(Class<?> type, String name) {
		String suffix = StringUtils.capitalize(name);
		for (String methodName : List.of("get" + suffix, "is" + suffix, name)) {
			Method getter = publicMethod(type, methodName, 0);
			if (getter != null && getter.getReturnType() != void.class) {
				return getter.getReturnType();
			}
		}
		for (Field field : type.getFields()) {
			if (field.getName().equals(name) && !Modifier.isStatic(field.getModifiers())) {
				return field.getType();
			}
		}
		return null;
	}

	private static @Nullable Method publicMethod(Class<?> type, String name, int parameterCount) {
		for (Method method : type.getMethods()) {
			if (method.getName().equals(name) && method.getParameterCount() == parameterCount) {
				return method;
			}
		}
		return null;
	}

}
