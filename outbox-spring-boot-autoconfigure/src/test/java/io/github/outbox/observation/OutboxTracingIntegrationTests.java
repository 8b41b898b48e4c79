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

package io.github.outbox.observation;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Span.Kind;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;
import io.github.outbox.testsupport.TestDatabase;
import io.github.outbox.testsupport.TestKafka;
import io.github.outbox.testsupport.TestKafka.Received;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A trace continues across the outbox: the publishing span, the relay's observation as
 * its child, Spring Kafka's send as the relay's child, and the record's
 * {@code traceparent} pointing at the send. Real Brave tracer (W3C propagation), real
 * PostgreSQL and Kafka broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxTracingIntegrationTests {

	private TestDatabase database;

	private ConfigurableApplicationContext context;

	private String topic;

	@BeforeAll
	void start() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.topic = TestKafka.uniqueTopic("traced");
		TestKafka.createTopics(this.topic);
		this.context = new SpringApplicationBuilder(OutboxTestApplication.class, SpanCollector.class)
			.web(WebApplicationType.NONE)
			.properties(this.database.springProperties())
			.properties("spring.application.name=outbox-tracing-it",
					"spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(), "spring.liquibase.enabled=false",
					"spring.flyway.enabled=false", "test.topic=" + this.topic,
					"management.tracing.sampling.probability=1.0")
			.run();
	}

	@AfterAll
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void relayIsAChildOfThePublishingSpanAndTheRecordCarriesTheTrace() {
		Tracer tracer = this.context.getBean(Tracer.class);
		String orderId = "traced-" + UUID.randomUUID();
		Span request = tracer.nextSpan().name("POST /orders").start();
		try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
			this.context.getBean(TransactionTemplate.class)
				.executeWithoutResult((status) -> this.context.publishEvent(new OrderPlaced(orderId, 1, "traced")));
		}
		finally {
			request.end();
		}
		List<Received> records = TestKafka.consume(this.topic, (record) -> orderId.equals(record.key()), 1,
				Duration.ofSeconds(30), Duration.ofMillis(200));
		assertThat(records).hasSize(1);
		String[] traceparent = records.get(0).headers().get("traceparent").split("-");
		List<MutableSpan> spans = this.context.getBean(SpanCollector.class).spans;
		MutableSpan relay = await().atMost(Duration.ofSeconds(10))
			.until(() -> find(spans, (span) -> (this.topic + " relay").equals(span.name())), (span) -> span != null);
		MutableSpan send = await().atMost(Duration.ofSeconds(10))
			.until(() -> find(spans, (span) -> span.kind() == Kind.PRODUCER && relay.id().equals(span.parentId())),
					(span) -> span != null);
		String traceId = request.context().traceId();
		assertThat(relay.traceId()).isEqualTo(traceId);
		assertThat(relay.parentId()).isEqualTo(request.context().spanId());
		assertThat(relay.tags()).containsEntry("outbox.topic", this.topic).containsKey("outbox.event.id");
		assertThat(send.traceId()).isEqualTo(traceId);
		// the consumer of the record continues the same trace, below the send
		assertThat(traceparent[1]).isEqualTo(traceId);
		assertThat(traceparent[2]).isEqualTo(send.id());
		assertThat(records.get(0).headers().keySet()).filteredOn("traceparent"::equals).hasSize(1);
	}

	private static MutableSpan find(List<MutableSpan> spans, java.util.function.Predicate<MutableSpan> predicate) {
		return spans.stream().filter(predicate).findFirst().orElse(null);
	}

	@Configuration(proxyBeanMethods = false)
	static class SpanCollector {

		final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

		@Bean
		SpanHandler collectingSpanHandler() {
			return new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					SpanCollector.this.spans.add(span);
					return true;
				}

			};
		}

	}

}
