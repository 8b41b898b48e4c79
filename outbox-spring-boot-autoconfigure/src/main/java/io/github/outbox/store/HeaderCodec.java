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
			encoded.append(escape(name)).append('=').append(escape(value));
		});
		return encoded.toString();
	}

	static Map<String, String> decode(@Nullable String encoded) {
		if (encoded == null || encoded.isEmpty()) {
			return Map.of();
		}
		Map<String, String> headers = new LinkedHashMap<>();
		int start = 0;
		while (start < encoded.length()) {
			int end = encoded.indexOf('&', start);
			if (end < 0) {
				end = encoded.length();
			}
			int separator = encoded.indexOf('=', start);
			headers.put(unescape(encoded.substring(start, separator)), unescape(encoded.substring(separator + 1, end)));
			start = end + 1;
		}
		return headers;
	}

	/**
	 * Encode a name or value, as it is when it has no character to escape: most names and
	 * values (trace context, ids, {@code application/json}) are printable ASCII, and the
	 * relay and the capture handle every event's headers.
	 */
	private static String escape(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (!isPlain(text.charAt(i))) {
				return URLEncoder.encode(text, StandardCharsets.UTF_8);
			}
		}
		return text;
	}

	private static String unescape(String text) {
		return (text.indexOf('%') < 0 && text.indexOf('+') < 0) ? text
				: URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	/**
	 * Whether the given character may be stored as it is: printable ASCII other than the
	 * separators ({@code &}, {@code =}) and what {@link URLDecoder} reads as an escape
	 * ({@code %}, {@code +}). Everything else, space included, is encoded by
	 * {@link URLEncoder}, which leaves these characters as they are or escapes them, so
	 * that {@link URLDecoder} decodes the stored text of any version.
	 */
	private static boolean isPlain(char c) {
		return c > ' ' && c < 0x7f && c != '%' && c != '+' && c != '&' && c != '=';
	}

}
