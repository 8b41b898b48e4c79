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

package io.github.outbox.sample.debezium;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Debezium pair as its one command does, on random ports.
 */
class DebeziumPairTests {

	@Test
	void everyOrderPlacedOverHttpIsPaidOnceInTheTraceOfItsRequest() throws Exception {
		DebeziumPair.Summary summary = DebeziumPair.run("--server.port=0", "--sample.demo.orders=3");
		assertThat(summary.traceByOrder()).hasSize(3);
		assertThat(summary.routed()).isEqualTo(3);
		assertThat(summary.payments()).hasSize(3)
			.allSatisfy((payment) -> assertThat(payment.traceId())
				.isEqualTo(summary.traceByOrder().get(payment.orderId())));
		assertThat(summary.ok()).isTrue();
	}

}
