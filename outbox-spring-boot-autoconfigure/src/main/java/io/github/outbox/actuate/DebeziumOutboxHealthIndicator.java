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

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the outbox with {@code outbox.table-layout=debezium}: Debezium relays the
 * events from the database log, outside this application, so there is no relay here to be
 * stopped and no backlog to read (the table stays empty). Reports {@code UP} with the
 * relay mode and the table Debezium must capture; the connector's health is Kafka
 * Connect's to report.
 *
 * @author Outbox contributors
 */
public class DebeziumOutboxHealthIndicator extends AbstractHealthIndicator {

	private final String table;

	/**
	 * Create an instance.
	 * @param table the outbox event table that Debezium captures
	 */
	public DebeziumOutboxHealthIndicator(String table) {
		super("Outbox health check failed");
		Assert.hasText(table, "'table' must not be empty");
		this.table = table;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up().withDetail("relay", DebeziumOutboxEndpoint.RELAY).withDetail("table", this.table);
	}

}
