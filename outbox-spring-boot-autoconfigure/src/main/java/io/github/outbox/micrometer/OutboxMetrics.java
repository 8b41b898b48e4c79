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

package io.github.outbox.micrometer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.outbox.capture.OutboxCommitListener;
import io.github.outbox.monitor.OutboxMonitor;
import io.github.outbox.relay.OutboxRelayListener;
import io.github.outbox.store.OutboxMessage;
import io.github.outbox.sender.OutboxRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Micrometer meters of the outbox. Counters and timers move as events are recorded and
 * relayed; gauges read the {@link OutboxMonitor}'s snapshot, so a scrape never runs a
 * query. Tags are bounded: topics, event types and exception classes, never ids or keys.
 *
 * @author Outbox contributors
 */
public class OutboxMetrics implements MeterBinder, OutboxCommitListener, OutboxRelayListener {

	private final @Nullable OutboxMonitor monitor;

	private final Supplier<@Nullable List<Integer>> ownedLanes;

	private final Map<String, Counter> recorded = new ConcurrentHashMap<>();

	private final Map<String, Counter> published = new ConcurrentHashMap<>();

	private final Map<String, Counter> failed = new ConcurrentHashMap<>();

	private volatile @Nullable MeterRegistry registry;

	private volatile @Nullable Timer latency;

	private volatile @Nullable Timer batchDuration;

	private volatile @Nullable DistributionSummary batchSize;

	/**
	 * Create an instance.
	 * @param monitor the monitor whose snapshot the gauges read, or {@code null} when the
	 * table is relayed by Debezium ({@code outbox.table-layout=debezium}): no gauges then
	 * @param ownedLanes the lanes the relay of this instance holds, or {@code null} if it
	 * runs no relay
	 */
	public OutboxMetrics(@Nullable OutboxMonitor monitor, Supplier<@Nullable List<Integer>> ownedLanes) {
		this.monitor = monitor;
		this.ownedLanes = ownedLanes;
	}

	/**
	 * Register the meters with the given registry. Binding to the registry already bound
	 * does nothing: the auto-configuration binds this instance and Spring Boot binds
	 * every {@link MeterBinder} bean again.
	 * @param registry the registry
	 */
	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		if (registry == this.registry) {
			return;
		}
		if (this.monitor != null) {
			Gauge.builder("outbox.events.pending", this, (metrics) -> metrics.statistic(Statistic.PENDING))
				.description("Events waiting to be sent, including those waiting for a retry")
				.baseUnit("events")
				.register(registry);
			Gauge.builder("outbox.events.dead", this, (metrics) -> metrics.statistic(Statistic.DEAD))
				.description("Dead events, kept until retried or discarded")
				.baseUnit("events")
				.register(registry);
			Gauge.builder("outbox.events.oldest.age", this, (metrics) -> metrics.statistic(Statistic.OLDEST_AGE))
				.description("Age of the oldest pending event")
				.baseUnit("seconds")
				.register(registry);
			Gauge.builder("outbox.relay.lanes", this, OutboxMetrics::ownedLaneCount)
				.description("Lanes the relay of this instance holds")
				.baseUnit("lanes")
				.register(registry);
		}
		this.latency = Timer.builder("outbox.relay.latency")
			.description("Time from the publication of an event to the broker's acknowledgement")
			.register(registry);
		this.batchDuration = Timer.builder("outbox.relay.batch")
			.description("Duration of a relay batch, from reading the events to the commit")
			.register(registry);
		this.batchSize = DistributionSummary.builder("outbox.relay.batch.size")
			.description("Events read by a relay batch")
			.baseUnit("events")
			.register(registry);
		this.registry = registry;
	}

	private double statistic(Statistic statistic) {
		OutboxMonitor monitor = this.monitor;
		OutboxMonitor.Snapshot snapshot = (monitor != null) ? monitor.getSnapshot() : null;
		if (snapshot == null) {
			return Double.NaN;
		}
		return switch (statistic) {
			case PENDING -> snapshot.statistics().pending();
			case DEAD -> snapshot.statistics().dead();
			case OLDEST_AGE -> snapshot.oldestPendingAge(Instant.now()).toMillis() / 1000.0;
		};
	}

	private double ownedLaneCount() {
		List<Integer> lanes = this.ownedLanes.get();
		return (lanes != null) ? lanes.size() : 0;
	}

	@Override
	public void committed(List<OutboxMessage> messages) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		for (OutboxMessage message : messages) {
			this.recorded
				.computeIfAbsent(message.topic() + '\u0000' + message.type(),
						(id) -> Counter.builder("outbox.events.recorded")
							.description("Events written to the outbox by committed transactions")
							.tags(Tags.of("topic", message.topic(), "type", message.type()))
							.register(registry))
				.increment();
		}
	}

	@Override
	public void delivered(OutboxRecord record, Instant acknowledgedAt) {
		MeterRegistry registry = this.registry;
		Timer latency = this.latency;
		if (registry == null || latency == null) {
			return;
		}
		this.published
			.computeIfAbsent(record.topic(),
					(topic) -> Counter.builder("outbox.events.published")
						.description("Events acknowledged by the broker")
						.tag("topic", topic)
						.register(registry))
			.increment();
		Duration age = Duration.between(record.createdAt(), acknowledgedAt);
		latency.record(age.isNegative() ? Duration.ZERO : age);
	}

	@Override
	public void failed(OutboxRecord record, Throwable error, boolean dead) {
		MeterRegistry registry = this.registry;
		if (registry == null) {
			return;
		}
		String exception = NestedExceptionUtils.getMostSpecificCause(error).getClass().getSimpleName();
		this.failed
			.computeIfAbsent(record.topic() + '\u0000' + exception,
					(id) -> Counter.builder("outbox.events.failed")
						.description("Failed send attempts")
						.tags(Tags.of("topic", record.topic(), "exception", exception))
						.register(registry))
			.increment();
	}

	@Override
	public void batchCompleted(int size, Duration duration) {
		Timer batchDuration = this.batchDuration;
		DistributionSummary batchSize = this.batchSize;
		if (batchDuration != null && batchSize != null) {
			batchDuration.record(duration);
			batchSize.record(size);
		}
	}

	private enum Statistic {

		PENDING, DEAD, OLDEST_AGE

	}

}
