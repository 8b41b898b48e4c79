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

package io.github.outbox.sample.order;

import java.math.BigDecimal;

import io.github.outbox.test.AutoConfigureOutbox;
import io.github.outbox.test.OutboxTestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;

import static io.github.outbox.test.OutboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slice test of {@link OrderService} with {@link AutoConfigureOutbox}: the database, the
 * order table and the outbox, but no web server, no Kafka and no relay. The test's own
 * transaction rolls back at the end, and {@link OutboxTestEvents} shows the events it
 * published.
 *
 * @author Outbox contributors
 */
@JdbcTest(properties = "sample.embedded-kafka=false")
@AutoConfigureOutbox
@Import({ OrderService.class, OrderRepository.class })
class OrderServiceSliceTests {

	@Autowired
	private OrderService orderService;

	@Autowired
	private OutboxTestEvents outboxEvents;

	@Test
	void placeOrderSavesTheOrderAndRecordsOrderPlaced() {
		Order order = this.orderService.placeOrder("carol", new BigDecimal("12.30"));
		assertThat(this.orderService.findOrder(order.id()))
			.hasValueSatisfying((saved) -> assertThat(saved.customer()).isEqualTo("carol"));
		assertThat(this.outboxEvents).hasRecorded(OrderPlaced.class, (event) -> event.orderId().equals(order.id()))
			.hasRecordedInOrder(order.id(), OrderPlaced.of(order));
	}

}
