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

package io.github.outbox.store;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Lanes}, {@link OutboxTables} and {@link HeaderCodec}.
 */
class LanesTests {

	@Test
	void laneDependsOnlyOnKeyAndLaneCount() {
		assertThat(Lanes.laneOf("order-1", UUID.randomUUID(), 64))
			.isEqualTo(Lanes.laneOf("order-1", UUID.randomUUID(), 64));
		// fixed values: changing the hash would silently remap keys of running
		// deployments
		assertThat(Lanes.laneOf("order-1", UUID.randomUUID(), 64))
			.isEqualTo(Lanes.laneOf("order-1", UUID.randomUUID(), 64));
		assertThat(Lanes.laneOf("a", UUID.randomUUID(), 64)).isEqualTo(Math.floorMod(0xe40c292c, 64));
	}

	@Test
	void keysSpreadOverAllLanes() {
		Map<Integer, Integer> counts = new HashMap<>();
		for (int i = 0; i < 64_000; i++) {
			counts.merge(Lanes.laneOf("order-" + i, UUID.randomUUID(), 64), 1, Integer::sum);
		}
		assertThat(counts).hasSize(64);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isBetween(800, 1200));
	}

	@Test
	void tableNamesAreValidatedIdentifiers() {
		assertThat(OutboxTables.of("billing_outbox")).isEqualTo(new OutboxTables("billing_outbox",
				"billing_outbox_sequence", "billing_outbox_lane", "billing_outbox_instance"));
		assertThatIllegalArgumentException().isThrownBy(() -> OutboxTables.of("outbox; drop table x"))
			.withMessageContaining("not a valid table name");
		assertThatIllegalArgumentException().isThrownBy(() -> OutboxTables.of("1outbox"));
		assertThatIllegalArgumentException().isThrownBy(() -> OutboxTables.of("o".repeat(49)));
	}

	@Test
	void headersSurviveEncoding() {
		Map<String, String> headers = Map.of("tenant", "acme & co", "trace=id", "a b%c\nd", "ünïcode", "✓");
		assertThat(HeaderCodec.decode(HeaderCodec.encode(headers))).isEqualTo(headers);
		assertThat(HeaderCodec.encode(Map.of())).isNull();
		assertThat(HeaderCodec.decode(null)).isEmpty();
	}

}
