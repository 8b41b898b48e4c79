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

package io.github.outbox.sample.order;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the order service as the build packaged it after {@code process-aot}, on the JVM
 * with {@code -Dspring.aot.enabled=true}: the application context comes from the code
 * generated at build time, and an order placed over HTTP is relayed to Kafka and received
 * by the service's listener. Also checks the GraalVM metadata the build generated for a
 * native image: on the JVM the hints are not enforced, so this is where a missing hint of
 * the outbox shows. Run by Failsafe after the jar is built.
 *
 * @author Outbox contributors
 */
class OrderServiceAotTests {

	private static final String METADATA = "META-INF/native-image/io.github.outbox/order-service/reachability-metadata.json";

	private final Path jar = Path.of(System.getProperty("order-service.jar", "target/order-service-exec.jar"));

	@Test
	void aotProcessedJarStartsAndRelaysOrders() throws Exception {
		Path log = this.jar.resolveSibling("order-service-aot.log");
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dspring.aot.enabled=true", "-jar", this.jar.toString(),
				"--server.port=0", "--sample.demo.orders=2", "--sample.demo.exit=true")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited within 120 s, see %s", log).isTrue();
			assertThat(process.exitValue()).as("exit code, see %s", log).isZero();
		}
		finally {
			process.destroyForcibly();
		}
		assertThat(Files.readString(log)).contains("Starting AOT-processed OrderServiceApplication")
			.contains("Demo: placed 2 orders, received 2 events on topic orders");
	}

	@Test
	void nativeImageMetadataHasTheHintsOfTheOutbox() throws IOException {
		String metadata = readFromJar(METADATA);
		List<String> resources = JsonPath.read(metadata, "$.resources[*].glob");
		assertThat(resources).contains("io/github/outbox/schema/outbox-changelog.xml",
				"io/github/outbox/schema/inbox-changelog.xml");
		List<Map<String, Object>> orderPlaced = JsonPath.read(metadata,
				"$.reflection[?(@.type == '" + OrderPlaced.class.getName() + "')]");
		// the key expression "orderId" is evaluated by SpEL, which calls the accessor by
		// reflection
		assertThat(orderPlaced).singleElement()
			.satisfies((hint) -> assertThat(hint).containsEntry("allPublicMethods", true));
	}

	private String readFromJar(String name) throws IOException {
		try (JarFile jarFile = new JarFile(this.jar.toFile())) {
			ZipEntry entry = jarFile.getEntry(name);
			assertThat(entry).as("%s in %s", name, this.jar).isNotNull();
			try (InputStream content = jarFile.getInputStream(entry)) {
				return new String(content.readAllBytes(), StandardCharsets.UTF_8);
			}
		}
	}

}
