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
package io.github.outbox.jackson;

import io.github.outbox.OutboxSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * {@link OutboxSerializer} that writes events as JSON with a Jackson {@link JsonMapper},
 * by default the application's own so that its modules and settings apply.
 *
 * @author Outbox contributors
 */
public class JacksonOutboxSerializer implements OutboxSerializer {

	private final JsonMapper jsonMapper;

	/**
	 * Create an instance.
	 * @param jsonMapper the mapper that writes the events
	 */
	public JacksonOutboxSerializer(JsonMapper jsonMapper) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		this.jsonMapper = jsonMapper;
	}

	@Override
	public byte[] serialize(Object event) {
		return this.jsonMapper.writeValueAsBytes(event);
	}

	@Override
	public <T> T deserialize(byte[] payload, Class<T> type) {
		return this.jsonMapper.readValue(payload, type);
	}

}
