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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.github.outbox.sender.OutboxRecord;
import io.github.outbox.sender.OutboxSender;
import io.github.outbox.store.OutboxStore.Failure;
import io.github.outbox.store.SequenceKey;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Decides what becomes of each event of a batch once its sends completed or timed out:
 * delivered, failed and retried later, dead, or moved behind the later events of its key.
 * Touches no database: the relay applies the {@link Settlement} in the batch's
 * transaction.
 * <p>
 * An acknowledged event is delivered, also behind a failed event of its key. A failed
 * event that a later event of its key overtook on the broker is moved behind its key's
 * other events (see {@link io.github.outbox.store.OutboxStore#moveBehindTheirKeys}), so
 * that a consumer guarding on {@code ce_sequence} applies it when it is sent again
 * instead of skipping it as stale; a dead one is moved when it is retried. Once an event
 * of a key failed, the later failed events of that key wait behind it without an attempt
 * of their own (and behind a dead one only if dead events block their key).
 *
 * @author Outbox contributors
 */
final class BatchSettlement {

	private final OutboxSender sender;

	private final int maxAttempts;

	private final RetryBackoff backoff;

	private final boolean deadEventsBlockTheirKey;

	BatchSettlement(OutboxSender sender, int maxAttempts, RetryBackoff backoff, boolean deadEventsBlockTheirKey) {
		this.sender = sender;
		this.maxAttempts = maxAttempts;
		this.backoff = backoff;
		this.deadEventsBlockTheirKey = deadEventsBlockTheirKey;
	}

	/**
	 * Settle a batch.
	 * @param records the events of the batch, in the order they were sent
	 * @param results the result of each event, {@code null} for an event that was not
	 * sent
	 * @param knownRetryable whether each event whose send threw may succeed later
	 * @param now the current time
	 * @param unavailableDelay how long an event waits whose send failed because the
	 * destination was unavailable
	 * @return the settlement
	 */
	Settlement settle(List<OutboxRecord> records, List<@Nullable CompletableFuture<?>> results,
			Map<OutboxRecord, Boolean> knownRetryable, Instant now, Duration unavailableDelay) {
		List<OutboxRecord> delivered = new ArrayList<>(results.size());
		List<Failure> failures = new ArrayList<>();
		List<Failure> deaths = new ArrayList<>();
		List<FailedSend> failedSends = new ArrayList<>();
		List<Long> overtaken = new ArrayList<>();
		Map<SequenceKey, Integer> lastAcknowledged = new HashMap<>();
		@Nullable Throwable[] errors = new @Nullable Throwable[results.size()];
		for (int i = 0; i < results.size(); i++) {
			CompletableFuture<?> result = results.get(i);
			if (result != null) {
				errors[i] = failure(result);
				SequenceKey key = keyOf(records.get(i));
				if (key != null && errors[i] == null) {
					lastAcknowledged.put(key, i);
				}
			}
		}
		Set<SequenceKey> blockedKeys = new HashSet<>();
		boolean unavailable = false;
		for (int i = 0; i < results.size(); i++) {
			if (results.get(i) == null) {
				continue;
			}
			OutboxRecord record = records.get(i);
			Throwable error = errors[i];
			if (error == null) {
				delivered.add(record);
				continue;
			}
			SequenceKey key = keyOf(record);
			boolean isOvertaken = key != null && lastAcknowledged.getOrDefault(key, -1) > i;
			if (key != null && blockedKeys.contains(key)) {
				// waits behind the failed event of its key, without an attempt of its own
				if (isOvertaken) {
					overtaken.add(record.id());
				}
				continue;
			}
			Boolean known = knownRetryable.get(record);
			boolean retryable = (known != null) ? known : this.sender.isRetryable(record, error);
			boolean counted = !retryable || !isUnavailable(error);
			unavailable |= !counted;
			boolean dead = !retryable || (counted && record.attempts() + 1 >= this.maxAttempts);
			Duration delay = counted ? this.backoff.delay(record.attempts() + 1) : unavailableDelay;
			(dead ? deaths : failures).add(new Failure(record.id(), now.plus(delay), describe(error), counted));
			failedSends.add(new FailedSend(record, error, dead));
			if (isOvertaken && !dead) {
				overtaken.add(record.id());
			}
			if (key != null && (!dead || this.deadEventsBlockTheirKey)) {
				blockedKeys.add(key);
			}
		}
		return new Settlement(records.size(), delivered, failures, deaths, overtaken, failedSends,
				unavailable && delivered.isEmpty(), now);
	}

	private boolean isUnavailable(Throwable error) {
		return error instanceof TimeoutException || this.sender.isUnavailable(error);
	}

	static @Nullable SequenceKey keyOf(OutboxRecord record) {
		return (record.key() != null) ? new SequenceKey(record.topic(), record.key()) : null;
	}

	private static @Nullable Throwable failure(CompletableFuture<?> result) {
		if (!result.isDone()) {
			return new TimeoutException("No acknowledgement within the send timeout");
		}
		if (!result.isCompletedExceptionally()) {
			return null;
		}
		try {
			result.getNow(null);
			return null;
		}
		catch (RuntimeException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	private static String describe(Throwable error) {
		String description = error.getClass().getName() + ": " + error.getMessage();
		Throwable cause = NestedExceptionUtils.getRootCause(error);
		return (cause != null)
				? description + " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")"
				: description;
	}

	/**
	 * A failed send of an event.
	 *
	 * @param record the event
	 * @param error the failure
	 * @param dead whether the event is dead
	 */
	record FailedSend(OutboxRecord record, Throwable error, boolean dead) {

	}

	/**
	 * What becomes of the events of a batch.
	 *
	 * @param read the number of events read, sent or not
	 * @param delivered the acknowledged events, to remove
	 * @param failures the failed events to retry later
	 * @param deaths the events that are dead from now on
	 * @param overtaken ids of the failed events that a later event of their key overtook,
	 * to move behind their keys' other events, in batch order
	 * @param failedSends every failure that counts, for the listeners
	 * @param destinationUnavailable whether no event got through and some failed because
	 * the destination was unavailable: the relay pauses
	 * @param settledAt when the batch was settled, after its results were in
	 */
	record Settlement(int read, List<OutboxRecord> delivered, List<Failure> failures, List<Failure> deaths,
			List<Long> overtaken, List<FailedSend> failedSends, boolean destinationUnavailable, Instant settledAt) {

		static final Settlement NONE = new Settlement(0, List.of(), List.of(), List.of(), List.of(), List.of(), false,
				Instant.EPOCH);

	}

}
