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
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.outbox.OutboxPublishException;
import io.github.outbox.OutboxPublisher;
import io.github.outbox.OutboxSerializer;
import io.github.outbox.capture.OutboxEventDescriptors.Descriptor;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.store.OutboxStore;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
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

	private final OutboxStore store;

	private final DataSource dataSource;

	private final OutboxSerializer serializer;

	private final OutboxEventDescriptors descriptors;

	private final OutsideTransaction outsideTransaction;

	private final OutboxCommitListener commitListener;

	private final Clock clock;

	private final TransactionTemplate ownTransaction;

	private List<OutboxHeaderContributor> headerContributors = List.of();

	/**
	 * Create an instance.
	 * @param store the store that writes the events
	 * @param dataSource the data source of the outbox tables, which the publishing
	 * transactions must use
	 * @param serializer the event serializer
	 * @param descriptors the event type metadata
	 * @param outsideTransaction what to do when no transaction is active
	 * @param commitListener told after a transaction with events committed
	 * @param clock the clock that stamps events
	 */
	public OutboxCapture(OutboxStore store, DataSource dataSource, OutboxSerializer serializer,
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
	}

	/**
	 * Set the contributors of headers added to every event at publication time.
	 * @param headerContributors the contributors
	 */
	public void setHeaderContributors(List<OutboxHeaderContributor> headerContributors) {
		Assert.notNull(headerContributors, "'headerContributors' must not be null");
		this.headerContributors = List.copyOf(headerContributors);
	}

	@Override
	public void publish(Object event, Map<String, String> headers) {
		Assert.notNull(event, "'event' must not be null");
		Descriptor descriptor = this.descriptors.get(event.getClass());
		record(descriptor.topic(), this.descriptors.key(descriptor, event), descriptor.type(), event, headers);
	}

	@Override
	public void publish(String topic, @Nullable String key, Object event, Map<String, String> headers) {
		Assert.notNull(event, "'event' must not be null");
		record(topic, key, event.getClass().getName(), event, headers);
	}

	private void record(String topic, @Nullable String key, String type, Object event, Map<String, String> headers) {
		OutboxTransactionSynchronization synchronization = currentSynchronization();
		OutboxMessage message = createMessage(topic, key, type, event, headers);
		if (synchronization != null) {
			synchronization.add(message);
		}
		else {
			this.ownTransaction.executeWithoutResult((status) -> this.store.insert(List.of(message)));
			this.commitListener.committed(List.of(message));
		}
	}

	private OutboxMessage createMessage(String topic, @Nullable String key, String type, Object event,
			Map<String, String> headers) {
		Assert.notNull(headers, "'headers' must not be null");
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
		allHeaders.putIfAbsent(CONTENT_TYPE, this.serializer.contentType());
		try {
			return new OutboxMessage(UUID.randomUUID(), topic, key, type, payload, allHeaders, this.clock.instant());
		}
		catch (IllegalArgumentException ex) {
			throw new OutboxPublishException(
					"Invalid outbox event of type " + event.getClass().getName() + ": " + ex.getMessage(), ex);
		}
	}

	private @Nullable OutboxTransactionSynchronization currentSynchronization() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
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
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof OutboxTransactionSynchronization outbox && outbox.isFor(this.store)) {
				return outbox;
			}
		}
		OutboxTransactionSynchronization synchronization = new OutboxTransactionSynchronization(this.store,
				this.commitListener);
		TransactionSynchronizationManager.registerSynchronization(synchronization);
		return synchronization;
	}

}
