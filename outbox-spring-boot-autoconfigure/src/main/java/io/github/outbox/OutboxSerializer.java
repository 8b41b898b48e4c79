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

package io.github.outbox;

/**
 * Turns an event into the bytes of the Kafka record value. Called at publish time, so a
 * failure fails the business transaction rather than the relay. Declare a bean of this
 * type to replace the default JSON serializer.
 *
 * @author Outbox contributors
 */
public interface OutboxSerializer {

	/**
	 * Serialize the given event.
	 * @param event the event
	 * @return the record value
	 * @throws RuntimeException if the event cannot be serialized
	 */
	byte[] serialize(Object event);

	/**
	 * Read an event back from the bytes {@link #serialize(Object)} wrote, for example to
	 * let tests assert on the application's own event objects. The default throws
	 * {@link UnsupportedOperationException}.
	 * @param <T> the type of the event
	 * @param payload the record value
	 * @param type the class of the event
	 * @return the event
	 * @throws RuntimeException if the payload cannot be read as the given type
	 */
	default <T> T deserialize(byte[] payload, Class<T> type) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot deserialize events: implement "
				+ "OutboxSerializer.deserialize(byte[], Class) to read " + type.getName() + " back");
	}

	/**
	 * Media type of the serialized form, sent as the {@code content-type} header.
	 * @return the content type
	 */
	default String contentType() {
		return "application/json";
	}

}
