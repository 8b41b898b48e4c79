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

package io.github.outbox.actuate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.github.outbox.DeadOutboxEvent;
import io.github.outbox.DeadOutboxEvents;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelay;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.util.Assert;

/**
 * {@link Endpoint @Endpoint} of the outbox: its state ({@code GET /actuator/outbox}), its
 * dead events ({@code GET /actuator/outbox/dead?page=0&size=20}), retrying all of them
 * ({@code POST /actuator/outbox/dead}) or one ({@code POST /actuator/outbox/dead/{id}}),
 * and discarding one ({@code DELETE /actuator/outbox/dead/{id}}). Retrying or discarding
 * an id that is not a dead event does nothing and says so in the response.
 * <p>
 * Access is read-only by default: retrying and discarding (which deletes an event for
 * good) need {@code management.endpoint.outbox.access=unrestricted}.
 *
 * @author Outbox contributors
 */
@Endpoint(id = "outbox", defaultAccess = Access.READ_ONLY)
public class OutboxEndpoint {

	private static final String DEAD = "dead";

	private static final int DEFAULT_PAGE_SIZE = 20;

	private static final int MAX_PAGE_SIZE = 500;

	private final OutboxMonitor monitor;

	private final DeadOutboxEvents deadEvents;

	private final @Nullable OutboxRelay relay;

	private final Clock clock;

	/**
	 * Create an endpoint.
	 * @param monitor the monitor holding the statistics
	 * @param deadEvents the dead events
	 * @param relay the relay of this instance, or {@code null} if it runs none
	 * @param clock the clock
	 */
	public OutboxEndpoint(OutboxMonitor monitor, DeadOutboxEvents deadEvents, @Nullable OutboxRelay relay,
			Clock clock) {
		Assert.notNull(monitor, "'monitor' must not be null");
		Assert.notNull(deadEvents, "'deadEvents' must not be null");
		this.monitor = monitor;
		this.deadEvents = deadEvents;
		this.relay = relay;
		this.clock = clock;
	}

	@ReadOperation
	public OutboxDescriptor outbox() {
		OutboxMonitor.Snapshot snapshot = this.monitor.getSnapshot();
		if (snapshot == null) {
			snapshot = this.monitor.refresh();
		}
		OutboxRelay relay = this.relay;
		RelayDescriptor relayDescriptor = (relay != null)
				? new RelayDescriptor(relay.isRunning(), relay.getInstanceId(), relay.getOwnedLanes())
				: new RelayDescriptor(false, null, List.of());
		OutboxMonitor.LastError lastError = this.monitor.getLastError();
		return new OutboxDescriptor(relayDescriptor, snapshot.statistics().pending(),
				snapshot.oldestPendingAge(this.clock.instant()).toMillis() / 1000.0, snapshot.statistics().dead(),
				snapshot.refreshedAt(), (lastError != null)
						? new ErrorDescriptor(lastError.message(), lastError.topic(), lastError.at()) : null);
	}

	@ReadOperation
	public DeadEventsDescriptor deadEvents(@Selector String section, @Nullable Integer page, @Nullable Integer size) {
		assertDead(section);
		int pageNumber = (page != null) ? page : 0;
		int pageSize = (size != null) ? size : DEFAULT_PAGE_SIZE;
		if (pageNumber < 0 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new InvalidEndpointRequestException(
					"'page' must not be negative and 'size' must be between 1 and " + MAX_PAGE_SIZE, "Invalid page");
		}
		List<DeadOutboxEvent> events = this.deadEvents.list(pageNumber * pageSize, pageSize);
		return new DeadEventsDescriptor(this.deadEvents.count(), pageNumber, pageSize, events);
	}

	@WriteOperation
	public RetriedDescriptor retryAll(@Selector String section) {
		assertDead(section);
		return new RetriedDescriptor(this.deadEvents.retryAll());
	}

	@WriteOperation
	public RetriedDescriptor retry(@Selector String section, @Selector long id) {
		assertDead(section);
		return new RetriedDescriptor(this.deadEvents.retry(id) ? 1 : 0);
	}

	@DeleteOperation
	public DiscardedDescriptor discard(@Selector String section, @Selector long id) {
		assertDead(section);
		return new DiscardedDescriptor(id, this.deadEvents.discard(id));
	}

	private static void assertDead(String section) {
		if (!DEAD.equals(section)) {
			throw new InvalidEndpointRequestException("Unknown section '" + section + "': use 'dead'",
					"Unknown section");
		}
	}

	/**
	 * State of the outbox.
	 *
	 * @param relay the relay of this instance
	 * @param pending events waiting to be sent
	 * @param oldestPendingAgeSeconds age of the oldest pending event
	 * @param dead dead events
	 * @param refreshedAt when the statistics were read
	 * @param lastError the last failed send attempt of this instance, if any
	 */
	public record OutboxDescriptor(RelayDescriptor relay, long pending, double oldestPendingAgeSeconds, long dead,
			Instant refreshedAt, @Nullable ErrorDescriptor lastError) {

	}

	/**
	 * State of the relay of this instance.
	 *
	 * @param running whether it runs
	 * @param instanceId its id in the lane table
	 * @param lanes the lanes it holds
	 */
	public record RelayDescriptor(boolean running, @Nullable String instanceId, List<Integer> lanes) {

	}

	/**
	 * A failed send attempt.
	 *
	 * @param message the error
	 * @param topic the topic of the event
	 * @param at when it failed
	 */
	public record ErrorDescriptor(String message, String topic, Instant at) {

	}

	/**
	 * A page of dead events.
	 *
	 * @param total the number of dead events
	 * @param page the page number, from 0
	 * @param size the page size
	 * @param events the dead events of the page, oldest first
	 */
	public record DeadEventsDescriptor(long total, int page, int size, List<DeadOutboxEvent> events) {

	}

	/**
	 * Result of a retry.
	 *
	 * @param retried the number of dead events made pending again, 0 if there was no such
	 * dead event
	 */
	public record RetriedDescriptor(int retried) {

	}

	/**
	 * Result of a discard.
	 *
	 * @param id the id of the event
	 * @param discarded whether it was discarded, {@code false} if there was no such dead
	 * event
	 */
	public record DiscardedDescriptor(long id, boolean discarded) {

	}

}
