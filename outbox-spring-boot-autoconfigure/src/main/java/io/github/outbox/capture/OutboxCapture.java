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
package io.github.outbox.capture;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.OutboxSerializer;
import io.github.outbox.capture.OutboxEventDescriptors.Descriptor;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxWriter;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.lang.Contract;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * {@link OutboxPublisher} that buffers events in the current transaction and has an
 * {@link OutboxTransactionSynchronization} write them just before it commits. Events are
 * serialized and validated at once, so that a bad event fails the business transaction.
 *
 * @author Outbox contributors
 */
public class OutboxCapture implements OutboxPublisher {

	private static final String CONTENT_TYPE = "content-type";

	private static final Set<String> RESERVED_HEADERS = Set.of(CONTENT_TYPE, "traceparent", "tracestate");

	private static final Pattern VALID_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");

	private final OutboxWriter store;

	private final DataSource dataSource;

	private final OutboxSerializer serializer;

	private final OutboxEventDescriptors descriptors;

	private final OutsideTransaction outsideTransaction;

	private final OutboxCommitListener commitListener;

	private final Clock clock;

	private final TransactionTemplate ownTransaction;

	private List<OutboxHeaderContributor> headerContributors = List.of();

	private OutboxWriteListener writeListener = (messages) -> {
	};

	/**
	 * Create an instance.
	 * @param store the writer of the events: the
	 * {@link io.github.outbox.store.OutboxStore} of the embedded relay or the writer of
	 * another table layout
	 * @param dataSource the data source of the outbox tables, which the publishing
	 * transactions must use
	 * @param serializer the event serializer
	 * @param descriptors the event type metadata
	 * @param outsideTransaction what to do when no transaction is active
	 * @param commitListener told after a transaction with events committed
	 * @param clock the clock that stamps events
	 */
	public OutboxCapture(OutboxWriter store, DataSource dataSource, OutboxSerializer serializer,
			OutboxEventDescriptors descriptors, OutsideTransaction outsideTransaction,
			OutboxCommitListener commitListener, Clock clock) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(serializer, "'serializer' must not be null");
		Assert.notNull(descriptors, "'descriptors' must not be null");
		Assert.notNull(outsideTransaction, "'outsideTransaction' must not be null");
		Assert.notNull(commitListener, "'commitListener' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.store = store;
		this.dataSource = dataSource;
		this.serializer = serializer;
		this.descriptors = descriptors;
		this.outsideTransaction = outsideTransaction;
		this.commitListener = commitListener;
		this.clock = clock;
		this.ownTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		// a transaction of its own even when called while another one completes (after
		// commit)
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Set the contributors of headers added to every event at publication time.
	 * @param headerContributors the contributors
	 */
	public void setHeaderContributors(List<OutboxHeaderContributor> headerContributors) {
		Assert.notNull(headerContributors, "'headerContributors' must not be null");
		this.headerContributors = List.copyOf(headerContributors);
	}

	/**
	 * Set the listener told inside each transaction right after its events were written.
	 * @param writeListener the listener
	 */
	public void setWriteListener(OutboxWriteListener writeListener) {
		Assert.notNull(writeListener, "'writeListener' must not be null");
		this.writeListener = writeListener;
	}

	/**
	 * Return the events published so far in the calling thread's current transaction and
	 * not written yet: they are written when it commits, discarded when it (or the
	 * savepoint they were published in) rolls back. Test support shows them, since a
	 * test-managed transaction never commits.
	 * @return the events, in publication order, or an empty list without a transaction or
	 * once the transaction's events were written
	 */
	public List<OutboxMessage> publishedInCurrentTransaction() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return List.of();
		}
		OutboxTransactionSynchronization synchronization = findSynchronization();
		return (synchronization != null) ? synchronization.buffered() : List.of();
	}

	@Override
	public void publish(Object event, Map<String, String> headers) {
		Assert.notNull(event, "'event' must not be null");
		record(() -> {
			Descriptor descriptor = this.descriptors.get(event.getClass());
			return createMessage(descriptor.topic(), this.descriptors.key(descriptor, event), descriptor.type(), event,
					headers);
		});
	}

	@Override
	public void publish(String topic, @Nullable String key, Object event, Map<String, String> headers) {
		Assert.notNull(event, "'event' must not be null");
		record(() -> createMessage(topic, key, event.getClass().getName(), event, headers));
	}

	private void record(Supplier<OutboxMessage> messageFactory) {
		OutboxTransactionSynchronization synchronization = currentSynchronization();
		OutboxMessage message;
		try {
			message = messageFactory.get();
		}
		catch (RuntimeException ex) {
			if (synchronization != null) {
				// the commit fails too, even if an event multicaster's error handler
				// swallows this
				synchronization.failed(ex);
			}
			throw ex;
		}
		if (synchronization != null) {
			synchronization.add(message);
		}
		else {
			this.ownTransaction.executeWithoutResult((status) -> {
				this.store.insert(List.of(message));
				this.writeListener.written(List.of(message));
			});
			this.commitListener.committed(List.of(message));
		}
	}

	private OutboxMessage createMessage(@Nullable String topic, @Nullable String key, String type, Object event,
			@Nullable Map<String, String> headers) {
		if (!isValidTopic(topic)) {
			throw new OutboxPublishException("Invalid topic '" + topic + "' for outbox event of type "
					+ event.getClass().getName() + ": Kafka accepts 1 to " + OutboxMessage.MAX_TOPIC_LENGTH
					+ " characters of [a-zA-Z0-9._-], other than '.' and '..'");
		}
		if (headers == null) {
			throw new OutboxPublishException("The headers of an outbox event must not be null");
		}
		headers.forEach((name, value) -> checkHeader(name, value, event));
		byte[] payload;
		try {
			payload = this.serializer.serialize(event);
		}
		catch (RuntimeException ex) {
			throw new OutboxPublishException(
					"Cannot serialize outbox event of type " + event.getClass().getName() + ": " + ex.getMessage(), ex);
		}
		Map<String, String> allHeaders = new LinkedHashMap<>();
		for (OutboxHeaderContributor contributor : this.headerContributors) {
			contributor.contribute(event, allHeaders);
		}
		allHeaders.putAll(headers);
		allHeaders.put(CONTENT_TYPE, this.serializer.contentType());
		try {
			OutboxMessage message = new OutboxMessage(UUID.randomUUID(), topic, key, type, payload, allHeaders,
					this.clock.instant());
			this.store.check(message);
			return message;
		}
		catch (IllegalArgumentException ex) {
			throw new OutboxPublishException(
					"Invalid outbox event of type " + event.getClass().getName() + ": " + ex.getMessage(), ex);
		}
	}

	@Contract("null -> false")
	private static boolean isValidTopic(@Nullable String topic) {
		return topic != null && topic.length() <= OutboxMessage.MAX_TOPIC_LENGTH && VALID_TOPIC.matcher(topic).matches()
				&& !topic.equals(".") && !topic.equals("..");
	}

	private static void checkHeader(@Nullable String name, @Nullable String value, Object event) {
		if (name == null || name.isEmpty()) {
			throw new OutboxPublishException(
					"Outbox event of type " + event.getClass().getName() + " has a header without a name");
		}
		if (value == null) {
			throw new OutboxPublishException("Header '" + name + "' of outbox event of type "
					+ event.getClass().getName() + " has a null value: Kafka headers of outbox events need a value");
		}
		String lowerCase = name.toLowerCase(Locale.ROOT);
		if (lowerCase.startsWith("ce_") || RESERVED_HEADERS.contains(lowerCase)) {
			throw new OutboxPublishException("Header '" + name + "' of outbox event of type "
					+ event.getClass().getName()
					+ " is reserved: the outbox itself writes the CloudEvents headers (ce_*), content-type and the "
					+ "trace context (traceparent, tracestate), which consumers and the inbox rely on");
		}
	}

	private @Nullable OutboxTransactionSynchronization currentSynchronization() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			if (this.outsideTransaction == OutsideTransaction.FAIL
					&& TransactionSynchronizationManager.isActualTransactionActive()) {
				throw new OutboxPublishException("The transaction is completing (an AFTER_COMMIT or AFTER_COMPLETION "
						+ "transactional event listener, or an afterCompletion callback): an event published now cannot be "
						+ "recorded with it; publish it before the commit (a BEFORE_COMMIT listener), or set "
						+ "outbox.capture.outside-transaction=own-transaction to write it in a transaction of its own");
			}
			if (this.outsideTransaction == OutsideTransaction.FAIL) {
				throw new OutboxPublishException("No transaction is active: publish outbox events inside a "
						+ "@Transactional method so that they are written together with the business change, or set "
						+ "outbox.capture.outside-transaction=own-transaction to write them in a transaction of their own");
			}
			return null;
		}
		if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
			throw new OutboxPublishException("The current transaction is read-only: outbox events can only be "
					+ "published in a read-write transaction");
		}
		if (TransactionSynchronizationManager.getResource(this.dataSource) == null) {
			throw new OutboxPublishException("The current transaction does not manage the outbox DataSource: "
					+ "publish outbox events in a transaction of a DataSourceTransactionManager or "
					+ "JpaTransactionManager for that DataSource, so that the events commit with the business change");
		}
		OutboxTransactionSynchronization existing = findSynchronization();
		if (existing != null) {
			return existing;
		}
		OutboxTransactionSynchronization synchronization = new OutboxTransactionSynchronization(this.store,
				this.commitListener, (messages) -> this.writeListener.written(messages));
		TransactionSynchronizationManager.registerSynchronization(synchronization);
		return synchronization;
	}

	private @Nullable OutboxTransactionSynchronization findSynchronization() {
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof OutboxTransactionSynchronization outbox && outbox.isFor(this.store)) {
				return outbox;
			}
		}
		return null;
	}

}
