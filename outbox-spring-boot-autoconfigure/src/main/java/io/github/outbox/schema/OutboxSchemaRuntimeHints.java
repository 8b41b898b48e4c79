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

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ResourceUtils;

/**
 * {@link RuntimeHintsRegistrar} of the schema resources in this jar, which the schema
 * initializers load from the classpath at startup: the Liquibase changelogs of the outbox
 * (both table layouts, chosen at run time by {@code outbox.table-layout}) and the inbox,
 * and the per-platform SQL scripts run when Liquibase is absent.
 *
 * @author Outbox contributors
 */
public class OutboxSchemaRuntimeHints implements RuntimeHintsRegistrar {

	private static final List<String> CHANGELOGS = List.of(OutboxSchemaInitializer.CHANGELOG,
			OutboxSchemaInitializer.DEBEZIUM_CHANGELOG, InboxSchemaInitializer.CHANGELOG);

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String changelog : CHANGELOGS) {
			String path = changelog.substring(ResourceUtils.CLASSPATH_URL_PREFIX.length());
			hints.resources().registerResource(new ClassPathResource(path, classLoader));
		}
		hints.resources().registerPattern("io/github/outbox/schema/*.sql");
	}

}
