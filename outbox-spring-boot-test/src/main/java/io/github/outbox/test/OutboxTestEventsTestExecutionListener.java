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
package io.github.outbox.test;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Resets the {@link OutboxTestEvents} of the test's application context before each test
 * method (before its {@code @BeforeEach} methods and its test-managed transaction), so
 * that a test sees only its own events. Registered through
 * {@code META-INF/spring.factories}; a context without {@link OutboxTestEvents} is left
 * alone.
 *
 * @author Outbox contributors
 */
public class OutboxTestEventsTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		// this context's own bean only, not those of a parent context
		context.getBeansOfType(OutboxTestEvents.class, false, false).values().forEach(OutboxTestEvents::reset);
	}

	/**
	 * Before {@code TransactionalTestExecutionListener} (4000), which starts the test's
	 * transaction.
	 */
	@Override
	public int getOrder() {
		return 3900;
	}

}
