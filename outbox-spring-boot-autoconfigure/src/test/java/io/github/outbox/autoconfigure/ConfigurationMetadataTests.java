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

package io.github.outbox.autoconfigure;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the configuration metadata that the annotation processor generates from the
 * properties classes (what IDEs show).
 */
class ConfigurationMetadataTests {

	@Test
	void deprecatedHealthThresholdsNameTheirReplacement() throws Exception {
		assertThat(property("outbox.health.max-oldest-age").path("deprecation").path("replacement").asString())
			.isEqualTo("management.health.outbox.max-oldest-age");
		assertThat(property("outbox.health.max-dead").path("deprecation").path("replacement").asString())
			.isEqualTo("management.health.outbox.max-dead");
		assertThat(property("outbox.health.max-oldest-age").path("deprecated").asBoolean()).isTrue();
		assertThat(property("outbox.health.max-dead").path("deprecated").asBoolean()).isTrue();
	}

	@Test
	void healthThresholdsAreDescribedWithTheirDefaults() throws Exception {
		JsonNode maxOldestAge = property("management.health.outbox.max-oldest-age");
		assertThat(maxOldestAge.path("type").asString()).isEqualTo("java.time.Duration");
		assertThat(maxOldestAge.path("defaultValue").asString()).isEqualTo("5m");
		assertThat(maxOldestAge.path("description").asString()).startsWith("Age of the oldest pending event");
		assertThat(maxOldestAge.has("deprecated")).isFalse();
		JsonNode maxDead = property("management.health.outbox.max-dead");
		assertThat(maxDead.path("defaultValue").asLong(-1)).isZero();
		assertThat(maxDead.has("deprecated")).isFalse();
	}

	@Test
	void deprecatedSchemaInitializeNamesTheModeAsItsReplacement() throws Exception {
		JsonNode initialize = property("outbox.schema.initialize");
		assertThat(initialize.path("deprecated").asBoolean()).isTrue();
		assertThat(initialize.path("deprecation").path("replacement").asString()).isEqualTo("outbox.schema.mode");
		JsonNode mode = property("outbox.schema.mode");
		assertThat(mode.path("type").asString())
			.isEqualTo("org.springframework.boot.sql.init.DatabaseInitializationMode");
		assertThat(mode.path("defaultValue").asString()).isEqualTo("always");
		assertThat(mode.has("deprecated")).isFalse();
	}

	static JsonNode property(String name) throws Exception {
		return StreamSupport.stream(metadata().path("properties").spliterator(), false)
			.filter((property) -> property.path("name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No property " + name + " in the generated metadata"));
	}

	/**
	 * The metadata of this module, not of the Spring Boot jars on the class path.
	 */
	private static JsonNode metadata() throws Exception {
		String classes = OutboxProperties.class.getProtectionDomain().getCodeSource().getLocation().toString();
		URL url = URI.create(classes + "META-INF/spring-configuration-metadata.json").toURL();
		try (InputStream in = url.openStream()) {
			return JsonMapper.shared().readTree(in);
		}
	}

}
