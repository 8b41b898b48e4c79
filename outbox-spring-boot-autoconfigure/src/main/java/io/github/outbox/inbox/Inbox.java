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

package io.github.outbox.inbox;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * The consuming side of the outbox: runs a listener's work at most once per event and
 * consumer. The event's id is recorded in the inbox table in the same database
 * transaction as the listener's side effects: a redelivered event finds its id and is
 * skipped; if the side effects roll back, so does the record, and the redelivery is
 * processed. With a per-key sequence ({@code ce_sequence}) the inbox also keeps the last
 * applied sequence per key and recognises stale events.
 *
 * @author Outbox contributors
 */
public class Inbox {

	private static final Log logger = LogFactory.getLog(Inbox.class);

	private final InboxStore store;

	private final TransactionTemplate transactionTemplate;

	private final Settings settings;

	private final InboxListener listener;

	private final Clock clock;

	private @Nullable InboxEventExtractor eventExtractor;

	/**
	 * Create an inbox.
	 * @param store the store of the inbox tables
	 * @param transactionManager the transaction manager of the inbox's data source
	 * @param settings the settings
	 * @param listener told what the inbox did
	 * @param clock the clock
	 */
	public Inbox(InboxStore store, PlatformTransactionManager transactionManager, Settings settings,
			InboxListener listener, Clock clock) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(transactionManager, "'transactionManager' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(listener, "'listener' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.store = store;
		this.transactionTemplate = new TransactionTemplate(transactionManager);
		this.transactionTemplate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
		this.settings = settings;
		this.listener = listener;
		this.clock = clock;
	}

	/**
	 * Set the extractor that tells what a record is, instead of its headers.
	 * @param eventExtractor the extractor, or {@code null} to read the headers
	 */
	public void setEventExtractor(@Nullable InboxEventExtractor eventExtractor) {
		this.eventExtractor = eventExtractor;
	}

	/**
	 * Return what the inbox knows of the given record: by default its id from the id
	 * header, its sequence from the sequence header if present.
	 * @param record the record
	 * @return the event
	 * @throws IllegalArgumentException if the record has no id header
	 */
	public InboxEvent eventOf(ConsumerRecord<?, ?> record) {
		InboxEventExtractor eventExtractor = this.eventExtractor;
		if (eventExtractor != null) {
			return eventExtractor.extract(record);
		}
		String id = lastHeader(record, this.settings.idHeader());
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("Record " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + " has no '" + this.settings.idHeader()
					+ "' header: the inbox cannot tell a redelivery from a new event. Records published through the "
					+ "outbox carry it; for other producers set outbox.inbox.id-header to the header holding a unique "
					+ "event id, or define an InboxEventExtractor bean that takes it from the record");
		}
		String sequence = lastHeader(record, this.settings.sequenceHeader());
		Long parsedSequence = null;
		if (sequence != null) {
			try {
				parsedSequence = Long.parseLong(sequence.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						"Record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " has a '"
								+ this.settings.sequenceHeader() + "' header that is not a number: '" + sequence + "'",
						ex);
			}
		}
		return new InboxEvent(id, record.topic(), keyOf(record), parsedSequence);
	}

	/**
	 * Return the record's key as the inbox stores it: the same for every delivery of a
	 * key. A {@code String} as it is; bytes ({@code byte[]}, {@link ByteBuffer},
	 * {@link Bytes}) decoded as UTF-8 if they are valid UTF-8, otherwise as {@code 0x}
	 * followed by their hexadecimal digits; any other key by its {@code toString()}, if
	 * its class defines one.
	 * @param record the record
	 * @return the key, or {@code null} if the record has none
	 * @throws IllegalArgumentException if the key's class does not define
	 * {@code toString()}, which would differ per delivery
	 */
	static @Nullable String keyOf(ConsumerRecord<?, ?> record) {
		Object key = record.key();
		if (key == null || key instanceof String) {
			return (String) key;
		}
		byte[] bytes = bytesOf(key);
		if (bytes != null) {
			try {
				return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
			}
			catch (CharacterCodingException ex) {
				return "0x" + HexFormat.of().formatHex(bytes);
			}
		}
		if (!definesToString(key.getClass())) {
			throw new IllegalArgumentException("Record " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + " has a key of type " + key.getClass().getName()
					+ " without a toString() of its own: the inbox cannot tell two deliveries of its key apart. "
					+ "Deserialize keys as String or byte[], or define an InboxEventExtractor bean");
		}
		return key.toString();
	}

	private static byte @Nullable [] bytesOf(Object key) {
		if (key instanceof byte[] bytes) {
			return bytes;
		}
		if (key instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return bytes;
		}
		if (key instanceof Bytes bytes) {
			return bytes.get();
		}
		return null;
	}

	private static boolean definesToString(Class<?> type) {
		try {
			return !type.isArray() && type.getMethod("toString").getDeclaringClass() != Object.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static @Nullable String lastHeader(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/**
	 * Process the given record for the given consumer, running the action unless the
	 * record is a redelivery or stale.
	 * @param consumer the consumer, one inbox per consumer
	 * @param record the record
	 * @param action the listener's work, run in the inbox's transaction
	 * @return what the inbox did
	 */
	public InboxOutcome process(String consumer, ConsumerRecord<?, ?> record, Runnable action) {
		return process(consumer, eventOf(record), action);
	}

	/**
	 * Process the given event for the given consumer, running the action unless the event
	 * is a redelivery or stale. The action runs in a transaction that also records the
	 * event, joining the caller's transaction if there is one.
	 * @param consumer the consumer, one inbox per consumer
	 * @param event the event
	 * @param action the listener's work
	 * @return what the inbox did
	 * @throws StaleEventException if the event is stale and stale events fail
	 */
	public InboxOutcome process(String consumer, InboxEvent event, Runnable action) {
		Assert.hasText(consumer, "'consumer' must not be empty");
		Assert.notNull(event, "'event' must not be null");
		Assert.notNull(action, "'action' must not be null");
		AtomicReference<Long> gap = new AtomicReference<>();
		InboxOutcome outcome = this.transactionTemplate.execute((status) -> {
			if (!this.store.record(consumer, event, this.clock.instant())) {
				return InboxOutcome.DUPLICATE;
			}
			if (event.key() != null && event.sequence() != null) {
				Long last = this.store.lockLastSequence(consumer, event.topic(), event.key());
				if (last != null && event.sequence() <= last) {
					if (this.settings.onStale() == StaleEventPolicy.FAIL) {
						throw new StaleEventException(consumer, event, last);
					}
					return InboxOutcome.STALE;
				}
				if (last != null && event.sequence() > last + 1) {
					gap.set(event.sequence() - last - 1);
				}
				this.store.saveLastSequence(consumer, event.topic(), event.key(), event.sequence(), last != null);
			}
			action.run();
			return InboxOutcome.PROCESSED;
		});
		Assert.state(outcome != null, "No outcome");
		Long missing = gap.get();
		if (missing != null && outcome == InboxOutcome.PROCESSED) {
			logger.warn("Consumer '" + consumer + "' missed " + missing + " event(s) of key '" + event.key()
					+ "' on topic '" + event.topic() + "' before sequence " + event.sequence());
			this.listener.gap(consumer, event, missing);
		}
		if (outcome == InboxOutcome.STALE && logger.isDebugEnabled()) {
			logger.debug("Consumer '" + consumer + "' skipped stale event " + event.id());
		}
		this.listener.handled(consumer, event, outcome);
		return outcome;
	}

	/**
	 * Settings of the inbox.
	 *
	 * @param idHeader the record header holding the event id
	 * @param sequenceHeader the record header holding the per-key sequence, if any
	 * @param onStale what to do with a stale event
	 */
	public record Settings(String idHeader, String sequenceHeader, StaleEventPolicy onStale) {

		public Settings {
			Assert.hasText(idHeader, "'idHeader' must not be empty");
			Assert.hasText(sequenceHeader, "'sequenceHeader' must not be empty");
			Assert.notNull(onStale, "'onStale' must not be null");
		}

	}

}
