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

package io.github.outbox.integration;

import io.github.outbox.OutboxEvent;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application the integration tests run: auto-configuration only, with an
 * {@code orders} table created by its own Liquibase changelog.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
		excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class OutboxTestApplication {

	@OutboxEvent(topic = "${test.topic}", key = "orderId")
	public record OrderPlaced(String orderId, int amount, String note) {

	}

	@OutboxEvent(topic = "${test.topic}", key = "customer.id")
	public record BrokenKey(String orderId) {

	}

	public record Unannotated(String name) {

	}

}
