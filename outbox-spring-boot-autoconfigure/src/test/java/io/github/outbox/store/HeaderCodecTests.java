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

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link HeaderCodec}.
 *
 * @author Outbox contributors
 */
class HeaderCodecTests {

	@Test
	void whenHeadersArePlainTheyAreStoredAsTheyAre() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		headers.put("tenant", "acme.eu_1");
		assertThat(HeaderCodec.encode(headers))
			.isEqualTo("traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01&tenant=acme.eu_1");
		assertThat(HeaderCodec.decode(HeaderCodec.encode(headers))).containsExactlyEntriesOf(headers);
	}

	@Test
	void whenHeadersArePrintableAsciiWithoutSeparatorsOrEscapesTheyAreStoredAsTheyAre() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("content-type", "application/json");
		headers.put("uri", "https://example.com/a?b;c#d");
		assertThat(HeaderCodec.encode(headers))
			.isEqualTo("content-type=application/json&uri=https://example.com/a?b;c#d");
		assertThat(HeaderCodec.decode(HeaderCodec.encode(headers))).containsExactlyEntriesOf(headers);
	}

	@Test
	void headersStoredWithEveryCharacterButLettersDigitsAndDashesEscapedAreRead() {
		// as versions before 2026-12-07 stored them
		assertThat(HeaderCodec.decode("content-type=application%2Fjson&uri=https%3A%2F%2Fexample.com%2Fa%3Fb"))
			.containsExactly(entry("content-type", "application/json"), entry("uri", "https://example.com/a?b"));
	}

	@Test
	void whenHeadersHoldSeparatorsEscapesOrAnyCharacterTheyComeBackUnchanged() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("a&b=c", "x=1&y=2");
		headers.put("percent%plus+space ", "100% + 1 ");
		headers.put("unicode", "Grüße, 東京, \uD83D\uDE80");
		headers.put("", "");
		headers.put("empty", "");
		String encoded = HeaderCodec.encode(headers);
		assertThat(encoded).doesNotContain(" ").doesNotContain("ü").doesNotContain("+ 1");
		assertThat(HeaderCodec.decode(encoded)).containsExactlyEntriesOf(headers);
	}

	@Test
	void whenThereAreNoHeadersNothingIsStored() {
		assertThat(HeaderCodec.encode(Map.of())).isNull();
		assertThat(HeaderCodec.decode(null)).isEmpty();
		assertThat(HeaderCodec.decode("")).isEmpty();
	}

}
