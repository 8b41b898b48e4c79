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
package io.github.outbox.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.outbox.sender.OutboxSender;
import io.github.outbox.sender.OutboxRecord;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.util.Assert;

/**
 * {@link OutboxSender} that sends each event as a Kafka record: the event's key as record
 * key, its serialized form as value, and headers following the CloudEvents Kafka protocol
 * binding in binary content mode, followed by the headers given at publish time.
 *
 * @author Outbox contributors
 */
public class KafkaOutboxSender implements OutboxSender, DisposableBean {

	/**
	 * CloudEvents specification version header.
	 */
	public static final String SPEC_VERSION = "ce_specversion";

	/**
	 * Event id header, unique per event and stable across retries.
	 */
	public static final String ID = "ce_id";

	/**
	 * Event type header.
	 */
	public static final String TYPE = "ce_type";

	/**
	 * Event source header.
	 */
	public static final String SOURCE = "ce_source";

	/**
	 * Publication time header, in RFC 3339 format.
	 */
	public static final String TIME = "ce_time";

	/**
	 * Per topic and key sequence number header (CloudEvents sequence extension), from 1.
	 */
	public static final String SEQUENCE = "ce_sequence";

	/**
	 * The {@code linger.ms} of the relay's producer unless set otherwise: the relay
	 * {@link #flush() flushes} each batch once it handed over its last record, so a
	 * linger only gathers the records of a batch into fewer, larger requests.
	 */
	public static final int RELAY_LINGER_MS = 5;

	/**
	 * The {@code batch.size} of the relay's producer unless set otherwise: room for a few
	 * hundred events per partition in one request.
	 */
	public static final int RELAY_BATCH_SIZE = 128 * 1024;

	private static final List<Class<? extends Throwable>> NON_RETRYABLE = List.of(RecordTooLargeException.class,
			RecordBatchTooLargeException.class, InvalidTopicException.class, TopicAuthorizationException.class,
			SerializationException.class, InvalidRecordException.class);

	/**
	 * Trace context headers a tracer writes: with observations on, the template's own
	 * observation writes the relay's context instead of the stored one.
	 */
	private static final Set<String> TRACE_CONTEXT_HEADERS = Set.of("traceparent", "tracestate", "b3", "x-b3-traceid",
			"x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags");

	private static final byte[] SPEC_VERSION_VALUE = "1.0".getBytes(StandardCharsets.UTF_8);

	private final KafkaTemplate<String, byte[]> kafkaTemplate;

	private final @Nullable ProducerFactory<String, byte[]> ownedProducerFactory;

	private final byte[] source;

	private volatile @Nullable Admin admin;

	private volatile boolean observationEnabled;

	/**
	 * Create an instance.
	 * @param kafkaTemplate the template that sends the records
	 * @param source the CloudEvents source of the events, typically the application name
	 */
	public KafkaOutboxSender(KafkaTemplate<String, byte[]> kafkaTemplate, String source) {
		Assert.notNull(kafkaTemplate, "'kafkaTemplate' must not be null");
		Assert.hasText(source, "'source' must not be empty");
		this.kafkaTemplate = kafkaTemplate;
		this.ownedProducerFactory = null;
		this.source = bytes(source);
	}

	/**
	 * Create an instance that sends with a template of its own and closes the given
	 * producer factory when it is destroyed.
	 * @param producerFactory the producer factory, owned by this sender
	 * @param source the CloudEvents source of the events, typically the application name
	 */
	public KafkaOutboxSender(ProducerFactory<String, byte[]> producerFactory, String source) {
		Assert.notNull(producerFactory, "'producerFactory' must not be null");
		Assert.hasText(source, "'source' must not be empty");
		this.kafkaTemplate = new KafkaTemplate<>(producerFactory);
		this.ownedProducerFactory = producerFactory;
		this.source = bytes(source);
	}

	/**
	 * Observe each send with the given registry (Spring Kafka's template observation), so
	 * that a trace continues from the relay to the consumer: the record carries the trace
	 * context of the send instead of the one stored at publication.
	 * @param observationRegistry the registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.kafkaTemplate.setObservationRegistry(observationRegistry);
		this.kafkaTemplate.setObservationEnabled(true);
		this.observationEnabled = true;
	}

	@Override
	public void destroy() throws Exception {
		Admin admin = this.admin;
		if (admin != null) {
			admin.close(Duration.ofSeconds(5));
		}
		if (this.ownedProducerFactory instanceof DisposableBean disposable) {
			disposable.destroy();
		}
	}

	/**
	 * Errors that sending the same record again cannot cure: the record is too large, the
	 * topic is invalid, does not exist (when the broker does not create topics) or is not
	 * writable with these credentials, or a header cannot be serialized.
	 */
	@Override
	public boolean isRetryable(OutboxRecord record, Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (isNonRetryable(cause)) {
				return false;
			}
			if (cause instanceof org.apache.kafka.common.errors.TimeoutException
					&& String.valueOf(cause.getMessage()).contains("not present in metadata")) {
				return topicExists(record.topic());
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return true;
	}

	/**
	 * Kafka's retriable errors (timeouts, lost connections, no leader, not enough
	 * replicas) say that the cluster cannot take the record right now, not that it
	 * refused it.
	 */
	@Override
	public boolean isUnavailable(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof RetriableException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static boolean isNonRetryable(Throwable error) {
		return NON_RETRYABLE.stream().anyMatch((type) -> type.isInstance(error));
	}

	private boolean topicExists(String topic) {
		try {
			admin().describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			return !(ex.getCause() instanceof UnknownTopicOrPartitionException);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return true;
		}
		catch (RuntimeException | java.util.concurrent.TimeoutException ex) {
			// the broker cannot tell right now: treat the failure as transient
			return true;
		}
	}

	private synchronized Admin admin() {
		if (this.admin == null) {
			Map<String, Object> config = new HashMap<>(
					this.kafkaTemplate.getProducerFactory().getConfigurationProperties());
			config.keySet().retainAll(AdminClientConfig.configNames());
			this.admin = Admin.create(config);
		}
		return this.admin;
	}

	@Override
	public CompletableFuture<?> send(OutboxRecord record) {
		ProducerRecord<String, byte[]> producerRecord = new ProducerRecord<>(record.topic(), null, record.key(),
				record.payload());
		Headers headers = producerRecord.headers();
		headers.add(SPEC_VERSION, SPEC_VERSION_VALUE);
		headers.add(ID, bytes(record.eventId()));
		headers.add(TYPE, bytes(record.type()));
		headers.add(SOURCE, this.source);
		headers.add(TIME, CloudEventTime.bytes(record.createdAt()));
		if (record.sequence() != null) {
			headers.add(SEQUENCE, bytes(record.sequence().toString()));
		}
		boolean observed = this.observationEnabled;
		record.headers().forEach((name, value) -> {
			if (!observed || !TRACE_CONTEXT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				headers.add(name, bytes(value));
			}
		});
		return this.kafkaTemplate.send(producerRecord);
	}

	/**
	 * Send the records the producer holds back for its {@code linger.ms} at once, and
	 * wait until every record handed to it so far is acknowledged or failed (at most its
	 * {@code delivery.timeout.ms}).
	 */
	@Override
	public void flush() {
		this.kafkaTemplate.flush();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
