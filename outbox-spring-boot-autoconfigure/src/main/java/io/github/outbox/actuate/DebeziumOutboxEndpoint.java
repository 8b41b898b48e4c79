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
package io.github.outbox.actuate;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} of the outbox with {@code outbox.table-layout=debezium}
 * ({@code GET /actuator/outbox}): says that Debezium relays the events and which table it
 * captures. Pending and dead events, lanes and retries belong to the embedded relay and
 * to Kafka Connect in this mode.
 *
 * @author Outbox contributors
 */
@Endpoint(id = "outbox", defaultAccess = Access.READ_ONLY)
public class DebeziumOutboxEndpoint {

	/**
	 * Who relays the events in this mode.
	 */
	static final String RELAY = "debezium";

	private final String table;

	/**
	 * Create an instance.
	 * @param table the outbox event table that Debezium captures
	 */
	public DebeziumOutboxEndpoint(String table) {
		Assert.hasText(table, "'table' must not be empty");
		this.table = table;
	}

	@ReadOperation
	public DebeziumOutboxDescriptor outbox() {
		return new DebeziumOutboxDescriptor(RELAY, "debezium", this.table);
	}

	/**
	 * State of the outbox with the Debezium layout.
	 *
	 * @param relay who relays the events, {@code debezium}
	 * @param tableLayout the layout of the event table
	 * @param table the event table Debezium captures
	 */
	public record DebeziumOutboxDescriptor(String relay, String tableLayout, String table) {

	}

}
