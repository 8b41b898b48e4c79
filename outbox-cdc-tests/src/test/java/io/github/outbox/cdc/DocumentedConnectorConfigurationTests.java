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

package io.github.outbox.cdc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/cdc.md shows the table and connector configurations that
 * {@link StarterThroughDebeziumTests} and {@link EmbeddedRelayThenDebeziumTests} load,
 * verbatim, so that the two cannot drift.
 */
class DocumentedConnectorConfigurationTests {

	@ParameterizedTest
	@CsvSource({ "io/github/outbox/cdc/outbox-table-postgres.sql, sql",
			"io/github/outbox/sample/debezium/connector-postgres.json, json",
			"io/github/outbox/sample/debezium/connector-postgres-events-convention.json, json" })
	void docsShowTheTestedFileVerbatim(String resource, String language) throws IOException {
		String file;
		try (InputStream input = getClass().getClassLoader().getResourceAsStream(resource)) {
			assertThat(input).as(resource).isNotNull();
			file = new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		Path docs = Path.of(System.getProperty("basedir", ".")).resolve("../docs/cdc.md").normalize();
		String markdown = Files.readString(docs, StandardCharsets.UTF_8);
		assertThat(markdown).as("%s shows %s (copy the file into its ```%s block)", docs, resource, language)
			.contains("```" + language + "\n" + file.strip() + "\n```");
	}

}
