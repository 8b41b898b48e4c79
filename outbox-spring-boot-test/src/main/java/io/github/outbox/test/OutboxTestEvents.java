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
package io.github.outbox.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.outbox.OutboxSerializer;
import io.github.outbox.capture.OutboxEventDescriptors;
import io.github.outbox.relay.OutboxRelay;
import io.github.outbox.store.OutboxMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * What the application recorded in the outbox, for tests: the events committed since the
 * last {@link #reset()} (reset before each test method), as they will reach Kafka, and a
 * bounded wait until the relay has sent them.
 * <p>
 * {@link #recorded()} returns, in this order:
 * <ol>
 * <li>every event whose transaction committed since the last reset, on any thread of this
 * application context (web requests of a {@code RANDOM_PORT} test, async listeners), in
 * commit order (per topic and key: in {@code ce_sequence} order);</li>
 * <li>then the events published so far in the <em>calling thread's</em> current
 * transaction, which has not committed yet: in a test-managed transaction
 * ({@code @Transactional} test, {@code @DataJpaTest}, {@code @JdbcTest}), which rolls
 * back at the end, these are the events the test's code published, minus those of
 * rolled-back savepoints ({@code NESTED}). They have
 * {@link RecordedOutboxEvent#committed()} {@code false} and no {@code ce_sequence}.</li>
 * </ol>
 * Events of transactions that rolled back never appear. Each application context has its
 * own instance, so tests of other (cached) contexts never show up here.
 *
 * @author Outbox contributors
 */
public class OutboxTestEvents {

	private static final Duration RECHECK_INTERVAL = Duration.ofMillis(100);

	private final DataSource dataSource;

	private final String table;

	private final OutboxSerializer serializer;

	private final OutboxEventDescriptors descriptors;

	private final Supplier<List<OutboxMessage>> currentTransaction;

	private final Supplier<@Nullable OutboxRelay> relay;

	private final String source;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate outsideTransaction;

	private final Map<UUID, Long> sequences = new ConcurrentHashMap<>();

	private final List<RecordedOutboxEvent> committed = new ArrayList<>();

	private final Map<UUID, Tracked> unacknowledged = new LinkedHashMap<>();

	private long generation;

	/**
	 * Create an instance.
	 * @param dataSource the data source of the outbox table
	 * @param table the name of the outbox event table
	 * @param serializer the serializer the events were written with
	 * @param descriptors the event type metadata
	 * @param currentTransaction the events published in the calling thread's transaction
	 * and not written yet
	 * @param relay the relay of this application context, or {@code null} without one
	 * @param source the {@code ce_source} of the events
	 */
	public OutboxTestEvents(DataSource dataSource, String table, OutboxSerializer serializer,
			OutboxEventDescriptors descriptors, Supplier<List<OutboxMessage>> currentTransaction,
			Supplier<@Nullable OutboxRelay> relay, String source) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(table, "'table' must not be empty");
		Assert.notNull(serializer, "'serializer' must not be null");
		Assert.notNull(descriptors, "'descriptors' must not be null");
		Assert.notNull(currentTransaction, "'currentTransaction' must not be null");
		Assert.notNull(relay, "'relay' must not be null");
		Assert.notNull(source, "'source' must not be null");
		this.dataSource = dataSource;
		this.table = table;
		this.serializer = serializer;
		this.descriptors = descriptors;
		this.currentTransaction = currentTransaction;
		this.relay = relay;
		this.source = source;
		this.jdbc = new JdbcTemplate(dataSource);
		this.outsideTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		// read what the relay committed, not a snapshot of the caller's (test-managed)
		// transaction
		this.outsideTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
	}

	/**
	 * Return the events committed since the last reset, in commit order, followed by the
	 * events published so far in the calling thread's transaction that has not committed
	 * (see the class description).
	 * @return the events
	 */
	public List<RecordedOutboxEvent> recorded() {
		List<RecordedOutboxEvent> events;
		synchronized (this) {
			events = new ArrayList<>(this.committed);
		}
		inSequenceOrderPerKey(events);
		for (OutboxMessage message : this.currentTransaction.get()) {
			events.add(toRecorded(message, null, false));
		}
		return events;
	}

	/**
	 * Return the events of {@link #recorded()} whose type is the given class's (its
	 * {@code @OutboxEvent} type, by default its name), read back with the application's
	 * {@link OutboxSerializer}.
	 * @param <T> the event class
	 * @param type the event class
	 * @return the events, in the order of {@link #recorded()}
	 */
	public <T> List<T> recorded(Class<T> type) {
		Assert.notNull(type, "'type' must not be null");
		String typeName = typeName(type);
		return recorded().stream()
			.filter((event) -> event.type().equals(typeName))
			.map((event) -> this.serializer.deserialize(event.payload(), type))
			.toList();
	}

	/**
	 * Wake the relay and wait until the broker acknowledged every event committed so far
	 * (its row left the outbox table, or was marked published): the events recorded since
	 * the last reset and those committed before it that were still pending. Returns at
	 * once when there is nothing to wait for.
	 * @param timeout how long to wait at most
	 * @throws AssertionError if events are still pending after the timeout, or are dead;
	 * the message lists them with their attempts and last error. Also when this
	 * application context has no relay, or when the calling thread's transaction holds
	 * events that have not committed (they cannot be relayed before it commits)
	 */
	public void awaitRelayed(Duration timeout) {
		Assert.notNull(timeout, "'timeout' must not be null");
		OutboxRelay relay = this.relay.get();
		if (relay == null) {
			throw new AssertionError("awaitRelayed() needs the outbox relay, but this application context has none "
					+ "(outbox.relay.enabled=false, no Kafka, or a slice test with @AutoConfigureOutbox), so nothing "
					+ "is sent to Kafka: assert on recorded() instead");
		}
		List<OutboxMessage> uncommitted = this.currentTransaction.get();
		if (!uncommitted.isEmpty()) {
			throw new AssertionError("awaitRelayed() was called in a transaction that has not committed and holds "
					+ uncommitted.size() + " outbox event(s): they are relayed only after it commits, and a "
					+ "test-managed transaction (@Transactional test, @DataJpaTest, @JdbcTest) never commits. "
					+ "Let the code under test commit its own transaction, or assert on recorded() instead");
		}
		if (!relay.isRunning()) {
			throw new AssertionError(
					"awaitRelayed() needs the outbox relay " + relay.getInstanceId() + ", but it is not running");
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		relay.committed(List.of());
		while (true) {
			Outstanding outstanding = outstanding();
			if (outstanding.pending().isEmpty() && outstanding.dead().isEmpty()) {
				return;
			}
			long remaining = deadline - System.nanoTime();
			if (outstanding.pending().isEmpty() || remaining <= 0) {
				throw new AssertionError(describe(outstanding, timeout, relay));
			}
			awaitRelayProgress(Math.min(remaining, RECHECK_INTERVAL.toNanos()));
		}
	}

	/**
	 * Forget the events recorded so far; done before each test method. Events committed
	 * before and still pending are still awaited by {@link #awaitRelayed(Duration)}, but
	 * no longer reported when they are dead.
	 */
	public synchronized void reset() {
		this.committed.clear();
		this.generation++;
		if (this.relay.get() == null) {
			this.unacknowledged.clear();
		}
	}

	/**
	 * Read the sequence numbers the database gave the events just written, inside their
	 * transaction.
	 * @param messages the events written
	 */
	void written(List<OutboxMessage> messages) {
		List<String> ids = messages.stream().map((message) -> message.eventId().toString()).toList();
		for (int from = 0; from < ids.size(); from += 1000) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
			this.jdbc.query("SELECT event_id, event_sequence FROM " + this.table + " WHERE event_id IN ("
					+ placeholders(chunk.size()) + ")", (rs) -> {
						long sequence = rs.getLong(2);
						if (!rs.wasNull()) {
							this.sequences.put(UUID.fromString(rs.getString(1)), sequence);
						}
					}, chunk.toArray());
		}
	}

	/**
	 * Record the events of a transaction that committed.
	 * @param messages the events, in publication order
	 */
	synchronized void committed(List<OutboxMessage> messages) {
		for (OutboxMessage message : messages) {
			RecordedOutboxEvent event = toRecorded(message, this.sequences.remove(message.eventId()), true);
			this.committed.add(event);
			if (this.relay.get() != null) {
				this.unacknowledged.put(event.eventId(), new Tracked(event, this.generation));
			}
		}
	}

	/**
	 * Called when the relay finished a batch: check again at once.
	 */
	synchronized void relayProgressed() {
		notifyAll();
	}

	private synchronized void awaitRelayProgress(long nanos) {
		try {
			wait(Math.max(1, nanos / 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for the outbox relay", ex);
		}
	}

	private Outstanding outstanding() {
		List<Tracked> tracked;
		long current;
		synchronized (this) {
			tracked = new ArrayList<>(this.unacknowledged.values());
			current = this.generation;
		}
		Map<UUID, RowState> states = readStates(tracked);
		List<Outstanding.Entry> pending = new ArrayList<>();
		List<Outstanding.Entry> dead = new ArrayList<>();
		List<UUID> done = new ArrayList<>();
		for (Tracked entry : tracked) {
			RowState state = states.get(entry.event().eventId());
			if (state == null || state.published()) {
				done.add(entry.event().eventId());
			}
			else if (state.dead()) {
				if (entry.generation() == current) {
					dead.add(new Outstanding.Entry(entry.event(), state));
				}
				else {
					// reported to (or ignored by) an earlier test
					done.add(entry.event().eventId());
				}
			}
			else {
				pending.add(new Outstanding.Entry(entry.event(), state));
			}
		}
		synchronized (this) {
			done.forEach(this.unacknowledged::remove);
		}
		return new Outstanding(pending, dead);
	}

	private Map<UUID, RowState> readStates(List<Tracked> tracked) {
		Map<UUID, RowState> states = new HashMap<>();
		List<String> ids = tracked.stream().map((entry) -> entry.event().eventId().toString()).toList();
		for (int from = 0; from < ids.size(); from += 1000) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
			this.outsideTransaction.executeWithoutResult(
					(status) -> this.jdbc.query("SELECT event_id, attempts, last_error, dead_at, published_at FROM "
							+ this.table + " WHERE event_id IN (" + placeholders(chunk.size()) + ")", (rs) -> {
								states.put(UUID.fromString(rs.getString(1)), new RowState(rs.getInt(2), rs.getString(3),
										rs.getObject(4) != null, rs.getObject(5) != null));
							}, chunk.toArray()));
		}
		return states;
	}

	private String describe(Outstanding outstanding, Duration timeout, OutboxRelay relay) {
		StringBuilder message = new StringBuilder();
		if (!outstanding.pending().isEmpty()) {
			message.append(outstanding.pending().size())
				.append(" outbox event(s) not acknowledged by the broker within ")
				.append(timeout)
				.append(" (relay ")
				.append(relay.getInstanceId())
				.append("):");
			outstanding.pending().forEach((entry) -> message.append("\n  pending: ").append(entry));
		}
		if (!outstanding.dead().isEmpty()) {
			if (!message.isEmpty()) {
				message.append('\n');
			}
			message.append(outstanding.dead().size())
				.append(" outbox event(s) are dead and will not be relayed unless retried (DeadOutboxEvents):");
			outstanding.dead().forEach((entry) -> message.append("\n  dead: ").append(entry));
		}
		return message.toString();
	}

	private void inSequenceOrderPerKey(List<RecordedOutboxEvent> events) {
		// afterCommit callbacks of overlapping transactions may arrive out of commit
		// order
		Map<List<String>, List<Integer>> positions = new LinkedHashMap<>();
		for (int i = 0; i < events.size(); i++) {
			RecordedOutboxEvent event = events.get(i);
			if (event.key() != null && event.sequence() != null) {
				positions.computeIfAbsent(List.of(event.topic(), event.key()), (key) -> new ArrayList<>()).add(i);
			}
		}
		for (List<Integer> indexes : positions.values()) {
			List<RecordedOutboxEvent> ofKey = new ArrayList<>(indexes.stream().map(events::get).toList());
			ofKey.sort(Comparator.comparing((event) -> Objects.requireNonNull(event.sequence())));
			for (int i = 0; i < indexes.size(); i++) {
				events.set(indexes.get(i), ofKey.get(i));
			}
		}
	}

	private RecordedOutboxEvent toRecorded(OutboxMessage message, @Nullable Long sequence, boolean committed) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("ce_specversion", "1.0");
		headers.put("ce_id", message.eventId().toString());
		headers.put("ce_type", message.type());
		headers.put("ce_source", this.source);
		headers.put("ce_time", message.createdAt().toString());
		if (sequence != null) {
			headers.put("ce_sequence", sequence.toString());
		}
		headers.putAll(message.headers());
		return new RecordedOutboxEvent(message.eventId(), message.topic(), message.key(), message.type(),
				Collections.unmodifiableMap(headers), message.payload(), committed);
	}

	/**
	 * Return the type events of the given class are recorded with.
	 * @param type the event class
	 * @return its {@code @OutboxEvent} type, or its name
	 */
	String typeName(Class<?> type) {
		return this.descriptors.isOutboxEvent(type) ? this.descriptors.get(type).type() : type.getName();
	}

	OutboxSerializer serializer() {
		return this.serializer;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	private static String placeholders(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	private record Tracked(RecordedOutboxEvent event, long generation) {

	}

	private record RowState(int attempts, @Nullable String lastError, boolean dead, boolean published) {

	}

	private record Outstanding(List<Entry> pending, List<Entry> dead) {

		private record Entry(RecordedOutboxEvent event, RowState state) {

			@Override
			public String toString() {
				RecordedOutboxEvent event = this.event;
				return event.type() + " topic=" + event.topic() + " key=" + event.key() + " ce_id=" + event.eventId()
						+ ((event.sequence() != null) ? " ce_sequence=" + event.sequence() : "") + ", attempts "
						+ this.state.attempts() + ", last error: "
						+ ((this.state.lastError() != null) ? this.state.lastError() : "none (not sent yet)");
			}

		}

	}

}
