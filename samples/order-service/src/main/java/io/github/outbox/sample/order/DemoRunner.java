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
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Places {@code sample.demo.orders} orders through the application's own HTTP API after
 * startup, waits until their events came back from Kafka and, with
 * {@code sample.demo.exit=true}, exits.
 *
 * @author Outbox contributors
 */
@Component
class DemoRunner implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(DemoRunner.class);

	private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol");

	private final SampleProperties properties;

	private final ReceivedOrderEvents receivedEvents;

	private final RestClient.Builder restClientBuilder;

	private final WebServerApplicationContext context;

	DemoRunner(SampleProperties properties, ReceivedOrderEvents receivedEvents, RestClient.Builder restClientBuilder,
			WebServerApplicationContext context) {
		this.properties = properties;
		this.receivedEvents = receivedEvents;
		this.restClientBuilder = restClientBuilder;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		SampleProperties.Demo demo = this.properties.demo();
		if (demo.orders() <= 0) {
			return;
		}
		RestClient restClient = this.restClientBuilder
			.baseUrl("http://localhost:" + this.context.getWebServer().getPort())
			.build();
		List<String> orderIds = new ArrayList<>();
		for (int i = 0; i < demo.orders(); i++) {
			String customer = CUSTOMERS.get(i % CUSTOMERS.size());
			Order order = placeOrder(restClient, customer, BigDecimal.valueOf(1000L + i * 1250L, 2));
			logger.info("Placed order %s for %s, amount %s".formatted(order.id(), order.customer(), order.amount()));
			orderIds.add(order.id());
		}
		int received = this.receivedEvents.awaitKeys(orderIds, demo.timeout());
		logger.info("Demo: placed %d orders, received %d events on topic %s".formatted(orderIds.size(), received,
				this.properties.topic()));
		if (demo.exit()) {
			int exitCode = SpringApplication.exit(this.context, () -> (received == orderIds.size()) ? 0 : 1);
			System.exit(exitCode);
		}
	}

	private Order placeOrder(RestClient restClient, String customer, BigDecimal amount) {
		Order order = restClient.post()
			.uri("/orders")
			.body(new PlaceOrderRequest(customer, amount))
			.retrieve()
			.body(Order.class);
		if (order == null) {
			throw new IllegalStateException("No order in the response of POST /orders");
		}
		return order;
	}

}
