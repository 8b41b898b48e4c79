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
package io.github.outbox.test.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.outbox.testsupport.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Throwaway databases of {@code @SpringBootTest} classes: created when the context is
 * built (from a {@code @DynamicPropertySource} method), dropped when it closes.
 */
public final class TestDatabases {

	private static final Map<String, TestDatabase> open = new ConcurrentHashMap<>();

	private TestDatabases() {
	}

	public static TestDatabase register(DynamicPropertyRegistry registry, TestDatabase.Kind kind) {
		TestDatabase database = TestDatabase.create(kind);
		open.put(database.url(), database);
		for (String property : database.springProperties()) {
			String[] nameAndValue = property.split("=", 2);
			registry.add(nameAndValue[0], () -> nameAndValue[1]);
		}
		return database;
	}

	public static void drop(String url) {
		TestDatabase database = open.remove(url);
		if (database != null) {
			database.close();
		}
	}

}
