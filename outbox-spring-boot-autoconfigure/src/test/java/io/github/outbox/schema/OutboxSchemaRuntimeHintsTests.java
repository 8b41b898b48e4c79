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

package io.github.outbox.schema;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ResourceHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxSchemaRuntimeHints}.
 */
class OutboxSchemaRuntimeHintsTests {

	private final ResourceHintsPredicates resources = RuntimeHintsPredicates.resource();

	@Test
	void changelogsOfBothLayoutsAndOfTheInboxAreResources() {
		RuntimeHints hints = new RuntimeHints();
		new OutboxSchemaRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(this.resources.forResource("io/github/outbox/schema/outbox-changelog.xml")).accepts(hints);
		assertThat(this.resources.forResource("io/github/outbox/schema/outbox-debezium-changelog.xml")).accepts(hints);
		assertThat(this.resources.forResource("io/github/outbox/schema/inbox-changelog.xml")).accepts(hints);
		assertThat(this.resources.forResource("io/github/outbox/schema/other.xml")).rejects(hints);
	}

}
