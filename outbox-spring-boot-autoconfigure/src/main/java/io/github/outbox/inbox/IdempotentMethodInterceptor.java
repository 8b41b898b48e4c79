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

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.util.StringUtils;

/**
 * Runs {@link Idempotent @Idempotent} methods through the {@link Inbox}.
 *
 * @author Outbox contributors
 */
public class IdempotentMethodInterceptor implements MethodInterceptor {

	private final Inbox inbox;

	private final Map<Method, String> consumers = new ConcurrentHashMap<>();

	/**
	 * Create an interceptor.
	 * @param inbox the inbox
	 */
	public IdempotentMethodInterceptor(Inbox inbox) {
		this.inbox = inbox;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		ConsumerRecord<?, ?> record = record(invocation);
		String consumer = consumer(invocation.getMethod());
		@Nullable Object[] result = new @Nullable Object[1];
		try {
			this.inbox.process(consumer, record, () -> {
				try {
					result[0] = invocation.proceed();
				}
				catch (RuntimeException | Error ex) {
					throw ex;
				}
				catch (Throwable ex) {
					throw new CheckedListenerException(ex);
				}
			});
		}
		catch (CheckedListenerException ex) {
			throw ex.getCause();
		}
		return result[0];
	}

	private static ConsumerRecord<?, ?> record(MethodInvocation invocation) {
		for (Object argument : invocation.getArguments()) {
			if (argument instanceof ConsumerRecord<?, ?> record) {
				return record;
			}
		}
		ConsumerRecord<?, ?> current = InboxRecordInterceptor.currentRecord();
		if (current == null) {
			throw new IllegalStateException("@Idempotent method " + invocation.getMethod()
					+ " needs the Kafka record: declare a ConsumerRecord parameter, or use a listener container "
					+ "factory with the InboxRecordInterceptor (the auto-configured one has it unless the application "
					+ "defines another RecordInterceptor)");
		}
		return current;
	}

	private String consumer(Method method) {
		String configured = this.consumers.computeIfAbsent(method, (key) -> {
			Idempotent idempotent = AnnotatedElementUtils.findMergedAnnotation(key, Idempotent.class);
			return (idempotent != null) ? idempotent.consumer() : "";
		});
		if (StringUtils.hasText(configured)) {
			return configured;
		}
		String groupId = KafkaUtils.getConsumerGroupId();
		if (!StringUtils.hasText(groupId)) {
			throw new IllegalStateException("@Idempotent method " + method
					+ " has no consumer name and runs outside a consumer group: set @Idempotent(consumer = \"...\")");
		}
		return groupId;
	}

	private static final class CheckedListenerException extends RuntimeException {

		CheckedListenerException(Throwable cause) {
			super(cause);
		}

	}

}
