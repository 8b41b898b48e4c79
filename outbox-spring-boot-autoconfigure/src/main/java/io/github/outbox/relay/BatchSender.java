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

package io.github.outbox.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.outbox.observation.DefaultOutboxRelayObservationConvention;
import io.github.outbox.observation.OutboxRelayContext;
import io.github.outbox.observation.OutboxRelayObservation;
import io.github.outbox.observation.OutboxRelayObservationConvention;
import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.SequenceKey;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends the events of a batch through an {@link OutboxSender}, each observed, and awaits
 * their results together. A later event of a key is not sent once an earlier one of that
 * key failed in this batch before it was handed on (the sender threw or returned a failed
 * result, as Kafka's producer does for a record over {@code max.request.size}): it waits
 * in the table for the next batch, so that it never overtakes the failed event. Once the
 * sender threw a retryable error, nothing more is sent in the batch.
 *
 * @author Outbox contributors
 */
final class BatchSender {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final OutboxSender sender;

	private final Duration sendTimeout;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable OutboxRelayObservationConvention observationConvention;

	BatchSender(OutboxSender sender, Duration sendTimeout) {
		this.sender = sender;
		this.sendTimeout = sendTimeout;
	}

	void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	void setObservationConvention(@Nullable OutboxRelayObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Send the given events in order and await their results, at most the send timeout.
	 * @param records the events
	 * @return the results
	 */
	Sent send(List<OutboxRecord> records) {
		Sent sent = new Sent(new ArrayList<>(records.size()), new IdentityHashMap<>());
		Set<SequenceKey> failedKeys = new HashSet<>();
		boolean senderUnusable = false;
		boolean observed = !this.observationRegistry.isNoop();
		for (OutboxRecord record : records) {
			SequenceKey key = BatchSettlement.keyOf(record);
			if (senderUnusable || (key != null && failedKeys.contains(key))) {
				sent.results().add(null);
				continue;
			}
			CompletableFuture<?> result = observed ? sendObserved(record, sent.knownRetryable())
					: sendUnobserved(record, sent.knownRetryable());
			sent.results().add(result);
			if (result.isCompletedExceptionally()) {
				if (key != null) {
					failedKeys.add(key);
				}
				if (Boolean.TRUE.equals(sent.knownRetryable().get(record))) {
					// the sender is unusable right now: leave the rest of the batch for
					// later
					senderUnusable = true;
				}
			}
		}
		flush();
		await(sent.results());
		return sent;
	}

	/**
	 * Have the sender send the batch's last events at once: the results of the sends tell
	 * whether they arrived.
	 */
	private void flush() {
		try {
			this.sender.flush();
		}
		catch (RuntimeException ex) {
			logger.debug("Outbox sender could not flush, the results of the sends tell: " + ex.getMessage());
		}
	}

	private void await(List<@Nullable CompletableFuture<?>> results) {
		try {
			CompletableFuture
				.allOf(results.stream().filter((result) -> result != null).toArray(CompletableFuture[]::new))
				.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// each result is inspected on its own
		}
	}

	/**
	 * Send one event without an observation: a relay without a registry pays nothing for
	 * tracing.
	 */
	private CompletableFuture<?> sendUnobserved(OutboxRecord record, Map<OutboxRecord, Boolean> knownRetryable) {
		try {
			return this.sender.send(record);
		}
		catch (RuntimeException ex) {
			knownRetryable.put(record, this.sender.isRetryable(record, ex));
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<?> sendObserved(OutboxRecord record, Map<OutboxRecord, Boolean> knownRetryable) {
		Observation observation = OutboxRelayObservation.RELAY.observation(this.observationConvention,
				DefaultOutboxRelayObservationConvention.INSTANCE, () -> new OutboxRelayContext(record),
				this.observationRegistry);
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			return this.sender.send(record).whenComplete((result, error) -> {
				if (error != null) {
					observation.error(error);
				}
				observation.stop();
			});
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			knownRetryable.put(record, this.sender.isRetryable(record, ex));
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * The results of a batch's sends.
	 *
	 * @param results the result of each event, {@code null} for an event that was not
	 * sent
	 * @param knownRetryable whether each event whose send threw may succeed later,
	 * decided once per event
	 */
	record Sent(List<@Nullable CompletableFuture<?>> results, Map<OutboxRecord, Boolean> knownRetryable) {

	}

}
