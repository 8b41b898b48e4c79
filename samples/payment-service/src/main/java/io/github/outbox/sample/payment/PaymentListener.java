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

package io.github.outbox.sample.payment;

import io.github.outbox.inbox.Idempotent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Records a payment for each OrderPlaced event. {@link Idempotent @Idempotent} makes a
 * redelivered event a no-op: the inbox records the event id in the transaction that saves
 * the payment.
 */
@Component
public class PaymentListener extends AbstractConsumerSeekAware {

	private static final Log logger = LogFactory.getLog(PaymentListener.class);

	private final PaymentRepository payments;

	private final JsonMapper jsonMapper;

	private final ObjectProvider<Tracer> tracer;

	PaymentListener(PaymentRepository payments, JsonMapper jsonMapper, ObjectProvider<Tracer> tracer) {
		this.payments = payments;
		this.jsonMapper = jsonMapper;
		this.tracer = tracer;
	}

	@KafkaListener(topics = "${sample.topic:orders}", groupId = "payment-service")
	@Idempotent
	public void onOrderPlaced(String value) {
		OrderPlaced order = this.jsonMapper.readValue(value, OrderPlaced.class);
		Tracer tracer = this.tracer.getIfAvailable();
		Span span = (tracer != null) ? tracer.currentSpan() : null;
		this.payments.save(order, (span != null) ? span.context().traceId() : null);
		logger.info("Payment of %s recorded for order %s".formatted(order.amount(), order.orderId()));
	}

	/**
	 * Read the topic again from the beginning, as after a consumer offset reset: every
	 * event is delivered a second time.
	 */
	public void replay() {
		logger.info("Replaying the order events from the beginning");
		seekToBeginning();
	}

}
