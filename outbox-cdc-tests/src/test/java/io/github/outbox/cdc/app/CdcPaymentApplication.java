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
package io.github.outbox.cdc.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.outbox.inbox.Idempotent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The consumer of the reference story: a payment service applying order events through
 * the starter's inbox ({@link Idempotent @Idempotent}), unchanged whichever relay
 * published them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CdcPaymentApplication {

	@Bean
	PaymentListener paymentListener() {
		return new PaymentListener();
	}

	/**
	 * Applies each order event once.
	 */
	public static class PaymentListener {

		private final List<ConsumerRecord<String, String>> applied = new CopyOnWriteArrayList<>();

		@KafkaListener(topics = "${cdc.topic}", groupId = "payments")
		@Idempotent
		public void onOrder(ConsumerRecord<String, String> record) {
			this.applied.add(record);
		}

		public List<ConsumerRecord<String, String>> applied() {
			return List.copyOf(this.applied);
		}

	}

}
