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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.github.outbox.OutboxPublisher;
import io.github.outbox.inbox.Inbox;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment service pays an order once, however often its event is delivered, with the
 * inbox alone.
 */
class PaymentServiceApplicationTests {

	@Test
	void orderDeliveredThreeTimesIsPaidOnce() throws Exception {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "orders");
		broker.afterPropertiesSet();
		try (ConfigurableApplicationContext context = PaymentServiceApplication
			.run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--server.port=0");
				KafkaProducer<String, String> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
						new StringSerializer(), new StringSerializer())) {
			for (int i = 0; i < 3; i++) {
				ProducerRecord<String, String> record = new ProducerRecord<>("orders", "order-1",
						"{\"orderId\":\"order-1\",\"customer\":\"ada\",\"amount\":42.50,\"placedAt\":\"2026-11-22T10:00:00Z\"}");
				record.headers().add("ce_id", "event-1".getBytes(StandardCharsets.UTF_8));
				record.headers().add("ce_sequence", "1".getBytes(StandardCharsets.UTF_8));
				producer.send(record).get();
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> registry.find("outbox.inbox.duplicates")
					.counters()
					.stream()
					.mapToDouble((c) -> c.count())
					.sum() == 2);
			assertThat(context.getBean(PaymentRepository.class).findAll()).singleElement()
				.satisfies((payment) -> assertThat(payment.orderId()).isEqualTo("order-1"));
			assertOnlyTheInbox(context);
		}
		finally {
			broker.destroy();
		}
	}

	/**
	 * The service only consumes: the inbox has its tables, the outbox has none, and
	 * neither a relay nor a monitor runs.
	 */
	private static void assertOnlyTheInbox(ConfigurableApplicationContext context) {
		assertThat(context.getBeanNamesForType(Inbox.class)).hasSize(1);
		assertThat(context.getBeanNamesForType(OutboxPublisher.class)).isEmpty();
		assertThat(context.getBeanNamesForType(OutboxRelay.class)).isEmpty();
		assertThat(context.getBeanNamesForType(OutboxMonitor.class)).isEmpty();
		assertThat(context.getBean(JdbcTemplate.class)
			.queryForList("SELECT LOWER(TABLE_NAME) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'",
					String.class))
			.contains("payments", "outbox_inbox", "outbox_inbox_sequence")
			.noneMatch((table) -> table.startsWith("outbox_event"));
	}

}
