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
import java.time.Duration;
import java.util.List;

import io.github.outbox.test.OutboxTestEvents;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static io.github.outbox.test.OutboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrderServiceApplication}: an order placed over HTTP records an
 * {@link OrderPlaced} event in the outbox, which the relay sends to Kafka and the Kafka
 * listener receives.
 *
 * @author Outbox contributors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.demo.orders=0")
class OrderServiceApplicationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RestClient.Builder restClientBuilder;

	@Autowired
	private OutboxTestEvents outboxEvents;

	@Autowired
	private ReceivedOrderEvents receivedEvents;

	@Test
	void placedOrderRecordsOrderPlaced() {
		Order order = placeOrder("alice", "42.50");
		assertThat(order.customer()).isEqualTo("alice");
		assertThat(order.amount()).isEqualByComparingTo("42.50");
		// committed by the request's thread, recorded without reading Kafka
		assertThat(this.outboxEvents).hasRecorded(OrderPlaced.class,
				(event) -> event.orderId().equals(order.id()) && event.customer().equals("alice"));
		assertThat(this.outboxEvents.recorded()).singleElement().satisfies((event) -> {
			assertThat(event.topic()).isEqualTo("orders");
			assertThat(event.key()).isEqualTo(order.id());
			assertThat(event.headers()).containsEntry("ce_sequence", "1").containsEntry("ce_source", "order-service");
		});
	}

	@Test
	void placedOrderIsRelayedToTheKafkaListener() throws InterruptedException {
		Order order = placeOrder("bob", "7.00");
		this.outboxEvents.awaitRelayed(Duration.ofSeconds(30));
		assertThat(this.receivedEvents.awaitKeys(List.of(order.id()), Duration.ofSeconds(30))).isEqualTo(1);
		assertThat(this.receivedEvents.events()).filteredOn((event) -> order.id().equals(event.key()))
			.singleElement()
			.satisfies((event) -> {
				assertThat(event.sequence()).isEqualTo("1");
				assertThat(event.value()).contains("\"orderId\":\"" + order.id() + "\"", "\"customer\":\"bob\"");
			});
	}

	private Order placeOrder(String customer, String amount) {
		RestClient restClient = this.restClientBuilder.baseUrl("http://localhost:" + this.port).build();
		ResponseEntity<Order> response = restClient.post()
			.uri("/orders")
			.body(new PlaceOrderRequest(customer, new BigDecimal(amount)))
			.retrieve()
			.toEntity(Order.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		Order order = response.getBody();
		assertThat(order).isNotNull();
		assertThat(response.getHeaders().getLocation()).hasPath("/orders/" + order.id());
		return order;
	}

}
