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

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration properties of the sample.
 *
 * @param topic Kafka topic of the order events
 * @param embeddedKafka whether to start an in-process Kafka broker when
 * 'spring.kafka.bootstrap-servers' is not set, read by
 * {@link EmbeddedKafkaApplicationListener} before the context starts
 * @param demo the demo that runs after startup
 * @author Outbox contributors
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("orders") String topic, @DefaultValue("true") boolean embeddedKafka,
		@DefaultValue Demo demo) {

	/**
	 * Demo that places orders through the HTTP API after startup and waits for their
	 * events.
	 *
	 * @param orders number of orders to place, 0 to disable the demo
	 * @param exit whether to exit once the demo is done
	 * @param timeout how long to wait for the events of the placed orders
	 */
	public record Demo(@DefaultValue("3") int orders, @DefaultValue("false") boolean exit,
			@DefaultValue("30s") Duration timeout) {

	}

}
