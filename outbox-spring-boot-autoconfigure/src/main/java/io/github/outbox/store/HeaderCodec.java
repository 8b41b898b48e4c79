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

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Stores headers in one text column as {@code application/x-www-form-urlencoded}, which
 * needs no JSON library and keeps any character of names and values.
 *
 * @author Outbox contributors
 */
final class HeaderCodec {

	private HeaderCodec() {
	}

	static @Nullable String encode(Map<String, String> headers) {
		if (headers.isEmpty()) {
			return null;
		}
		StringBuilder encoded = new StringBuilder();
		headers.forEach((name, value) -> {
			if (!encoded.isEmpty()) {
				encoded.append('&');
			}
			encoded.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
		});
		return encoded.toString();
	}

	static Map<String, String> decode(@Nullable String encoded) {
		if (encoded == null || encoded.isEmpty()) {
			return Map.of();
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (String pair : encoded.split("&")) {
			int separator = pair.indexOf('=');
			headers.put(URLDecoder.decode(pair.substring(0, separator), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(separator + 1), StandardCharsets.UTF_8));
		}
		return headers;
	}

}
