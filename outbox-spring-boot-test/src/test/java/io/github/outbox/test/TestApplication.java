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

import io.github.outbox.OutboxEvent;
import io.github.outbox.test.testsupport.TestDatabases;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The application the module's tests run: an order service publishing {@link OrderPlaced}
 * events.
 */
@SpringBootApplication
public class TestApplication {

	@Bean
	DisposableBean dropTestDatabase(Environment environment) {
		return () -> TestDatabases.drop(environment.getProperty("spring.datasource.url", ""));
	}

	@OutboxEvent(topic = "${test.topic:orders}", key = "orderId")
	public record OrderPlaced(String orderId, int amount) {

	}

	@OutboxEvent(topic = "${test.topic:orders}", key = "orderId", type = "order-cancelled")
	public record OrderCancelled(String orderId) {

	}

}
