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

package io.github.outbox.sample.pair;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample pair as its one command does, on random ports.
 */
class SamplePairTests {

	@Test
	void ordersArePaidOnceAndRedeliveriesAreSkipped() throws Exception {
		SamplePair.Summary summary = SamplePair.run("--server.port=0", "--sample.demo.orders=3");
		assertThat(summary.placed()).isEqualTo(3);
		assertThat(summary.relayed()).isEqualTo(3);
		assertThat(summary.payments()).hasSize(3).allSatisfy((payment) -> assertThat(payment.traceId()).isNotBlank());
		assertThat(summary.processed()).isEqualTo(3);
		assertThat(summary.duplicates()).isEqualTo(3);
		assertThat(summary.ok()).isTrue();
	}

}
