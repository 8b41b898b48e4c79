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

package io.github.outbox.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CloudEventTime}.
 */
class CloudEventTimeTests {

	@Test
	void writesWhatInstantToStringWrites() {
		SplittableRandom random = new SplittableRandom(42);
		for (int i = 0; i < 100_000; i++) {
			long second = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
					Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 1);
			int nano = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			assertSame(Instant.ofEpochSecond(second, nano));
		}
		assertSame(Instant.EPOCH);
		assertSame(Instant.parse("2026-12-02T14:39:23.000001Z"));
		assertSame(Instant.parse("-0001-12-31T23:59:59.5Z"));
		assertSame(Instant.parse("+10000-01-01T00:00:00Z"));
	}

	private static void assertSame(Instant instant) {
		assertThat(new String(CloudEventTime.bytes(instant), StandardCharsets.US_ASCII)).isEqualTo(instant.toString());
	}

}
