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

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * REST API of the orders: {@code POST /orders} places an order, {@code GET /orders/{id}}
 * returns one.
 *
 * @author Outbox contributors
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private final OrderService orderService;

	OrderController(OrderService orderService) {
		this.orderService = orderService;
	}

	@PostMapping
	ResponseEntity<Order> placeOrder(@RequestBody PlaceOrderRequest request) {
		if (!StringUtils.hasText(request.customer()) || request.amount() == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'customer' and 'amount' are required");
		}
		Order order = this.orderService.placeOrder(request.customer(), request.amount());
		return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
	}

	@GetMapping("/{id}")
	ResponseEntity<Order> getOrder(@PathVariable String id) {
		return ResponseEntity.of(this.orderService.findOrder(id));
	}

}
