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

import io.github.outbox.sample.order.ReceivedOrderEvents.ReceivedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;

/**
 * Consumes the order events that the outbox relayed to Kafka and logs their key,
 * CloudEvents id and sequence and JSON value.
 *
 * @author Outbox contributors
 */
@Component
class OrderPlacedListener {

	private static final Log logger = LogFactory.getLog(OrderPlacedListener.class);

	private final ReceivedOrderEvents receivedEvents;

	OrderPlacedListener(ReceivedOrderEvents receivedEvents) {
		this.receivedEvents = receivedEvents;
	}

	@KafkaListener(topics = "${sample.topic:orders}")
	void onOrderPlaced(@Header(KafkaHeaders.RECEIVED_KEY) String key, @Header("ce_sequence") String sequence,
			@Header("ce_id") String id, @Payload String value) {
		logger.info("Received OrderPlaced key=%s sequence=%s id=%s value=%s".formatted(key, sequence, id, value));
		this.receivedEvents.add(new ReceivedEvent(key, sequence, id, value));
	}

}
