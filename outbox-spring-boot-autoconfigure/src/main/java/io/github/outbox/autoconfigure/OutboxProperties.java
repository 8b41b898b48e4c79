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
package io.github.outbox.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.outbox.capture.OutsideTransaction;
import io.github.outbox.inbox.StaleEventPolicy;
import io.github.outbox.relay.DeadEventPolicy;
import io.github.outbox.store.OutboxTableLayout;
import io.github.outbox.store.TableNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of the transactional outbox.
 *
 * @author Outbox contributors
 */
@ConfigurationProperties("outbox")
public class OutboxProperties implements Validator {

	/**
	 * Whether to enable the transactional outbox, the publishing side: capture, tables,
	 * relay and monitor. The inbox does not depend on it ('outbox.inbox.enabled').
	 */
	private boolean enabled = true;

	/**
	 * Name of the outbox event table. The sequence, lane and changelog tables take their
	 * names from it. Lower-case letters, digits and underscores only, not a reserved word
	 * of SQL.
	 */
	private String tableName = "outbox_event";

	/**
	 * Layout of the outbox event table, and with it who relays the events: 'relay' for
	 * the embedded relay, 'debezium' for Debezium's outbox event router on Kafka Connect
	 * (rows inserted and deleted in the publishing transaction; no relay, lanes or Kafka
	 * producer in the application). See docs/cdc.md.
	 */
	private OutboxTableLayout tableLayout = OutboxTableLayout.RELAY;

	/**
	 * Number of lanes that keys are hashed to. One relay at a time works on a lane. A
	 * constant of the deployment: drain the table before changing it.
	 */
	private int lanes = 64;

	/**
	 * CloudEvents source of the events, sent as the 'ce_source' header. Defaults to
	 * 'spring.application.name'.
	 */
	private @Nullable String source;

	private final Capture capture = new Capture();

	private final Schema schema = new Schema();

	private final Relay relay = new Relay();

	private final Kafka kafka = new Kafka();

	private final Monitor monitor = new Monitor();

	private final Retention retention = new Retention();

	private final Health health = new Health();

	private final Inbox inbox = new Inbox();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTableName() {
		return this.tableName;
	}

	public void setTableName(String tableName) {
		this.tableName = tableName;
	}

	public OutboxTableLayout getTableLayout() {
		return this.tableLayout;
	}

	public void setTableLayout(OutboxTableLayout tableLayout) {
		this.tableLayout = tableLayout;
	}

	public int getLanes() {
		return this.lanes;
	}

	public void setLanes(int lanes) {
		this.lanes = lanes;
	}

	public @Nullable String getSource() {
		return this.source;
	}

	public void setSource(@Nullable String source) {
		this.source = source;
	}

	/**
	 * Return the CloudEvents source of the events: {@link #getSource()} if set, otherwise
	 * the application's name, otherwise {@code outbox}.
	 * @param applicationName the value of {@code spring.application.name}, if any
	 * @return the source
	 */
	public String determineSource(@Nullable String applicationName) {
		if (StringUtils.hasText(this.source)) {
			return this.source;
		}
		return StringUtils.hasText(applicationName) ? applicationName : "outbox";
	}

	public Capture getCapture() {
		return this.capture;
	}

	public Schema getSchema() {
		return this.schema;
	}

	public Relay getRelay() {
		return this.relay;
	}

	public Kafka getKafka() {
		return this.kafka;
	}

	public Monitor getMonitor() {
		return this.monitor;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Health getHealth() {
		return this.health;
	}

	public Inbox getInbox() {
		return this.inbox;
	}

	@Override
	public boolean supports(Class<?> type) {
		return OutboxProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		OutboxProperties properties = (OutboxProperties) target;
		rejectInvalidTableName(errors, "tableName", "outbox.table-name", properties.getTableName());
		if (properties.getLanes() < 1 || properties.getLanes() > 4096) {
			errors.rejectValue("lanes", "outbox.invalidLanes", "must be between 1 and 4096");
		}
		Relay relay = properties.getRelay();
		requirePositive(errors, "relay.pollInterval", relay.getPollInterval());
		requirePositive(errors, "relay.sendTimeout", relay.getSendTimeout());
		if (relay.getShutdownTimeout() == null || relay.getShutdownTimeout().isNegative()) {
			errors.rejectValue("relay.shutdownTimeout", "outbox.negative", "must not be negative");
		}
		if (relay.getLinger() == null || relay.getLinger().isNegative()) {
			errors.rejectValue("relay.linger", "outbox.negative", "must not be negative");
		}
		if (relay.getBatchSize() < 1 || relay.getBatchSize() > 10000) {
			errors.rejectValue("relay.batchSize", "outbox.invalidBatchSize", "must be between 1 and 10000");
		}
		if (relay.getConcurrency() < 1 || relay.getConcurrency() > 16) {
			errors.rejectValue("relay.concurrency", "outbox.invalidConcurrency", "must be between 1 and 16");
		}
		Relay.Retry retry = relay.getRetry();
		requirePositive(errors, "relay.retry.initialDelay", retry.getInitialDelay());
		requirePositive(errors, "relay.retry.maxDelay", retry.getMaxDelay());
		if (retry.getInitialDelay() != null && retry.getMaxDelay() != null
				&& retry.getMaxDelay().compareTo(retry.getInitialDelay()) < 0) {
			errors.rejectValue("relay.retry.maxDelay", "outbox.maxDelayTooShort",
					"must not be shorter than outbox.relay.retry.initial-delay");
		}
		if (retry.getMaxAttempts() < 1) {
			errors.rejectValue("relay.retry.maxAttempts", "outbox.invalidMaxAttempts", "must be at least 1");
		}
		if (relay.getLeaseTime() == null || relay.getLeaseTime().toMillis() < 300) {
			errors.rejectValue("relay.leaseTime", "outbox.invalidLeaseTime", "must be at least 300ms");
		}
		if (relay.getInstanceId() != null
				&& (relay.getInstanceId().isBlank() || relay.getInstanceId().length() > 255)) {
			errors.rejectValue("relay.instanceId", "outbox.invalidInstanceId", "must have 1 to 255 characters");
		}
		if (retry.getMultiplier() < 1) {
			errors.rejectValue("relay.retry.multiplier", "outbox.invalidMultiplier", "must be at least 1");
		}
		if (retry.getJitter() < 0 || retry.getJitter() > 1) {
			errors.rejectValue("relay.retry.jitter", "outbox.invalidJitter", "must be between 0 and 1");
		}
		requirePositive(errors, "monitor.refreshInterval", properties.getMonitor().getRefreshInterval());
		Retention retention = properties.getRetention();
		if (retention.getPublished() != null) {
			requirePositive(errors, "retention.published", retention.getPublished());
		}
		if (retention.getDead() != null) {
			requirePositive(errors, "retention.dead", retention.getDead());
		}
		if (retention.getBatchSize() < 1 || retention.getBatchSize() > 10000) {
			errors.rejectValue("retention.batchSize", "outbox.invalidBatchSize", "must be between 1 and 10000");
		}
		Inbox inbox = properties.getInbox();
		rejectInvalidTableName(errors, "inbox.tableName", "outbox.inbox.table-name", inbox.getTableName());
		if (inbox.getIdHeader() == null || inbox.getIdHeader().isBlank()) {
			errors.rejectValue("inbox.idHeader", "outbox.empty", "must not be empty");
		}
		if (inbox.getSequenceHeader() == null || inbox.getSequenceHeader().isBlank()) {
			errors.rejectValue("inbox.sequenceHeader", "outbox.empty", "must not be empty");
		}
		requirePositive(errors, "inbox.retention", inbox.getRetention());
		requirePositive(errors, "inbox.purgeInterval", inbox.getPurgeInterval());
		validateDeprecatedHealth(errors, properties.getHealth());
	}

	@SuppressWarnings("removal")
	private static void validateDeprecatedHealth(Errors errors, Health health) {
		if (health.getMaxOldestAge() != null) {
			requirePositive(errors, "health.maxOldestAge", health.getMaxOldestAge());
		}
		Long maxDead = health.getMaxDead();
		if (maxDead != null && maxDead < 0) {
			errors.rejectValue("health.maxDead", "outbox.negative", "must not be negative");
		}
	}

	private static void rejectInvalidTableName(Errors errors, String field, String property, @Nullable String name) {
		String problem = TableNames.problem(name);
		if (problem != null) {
			errors.rejectValue(field, "outbox.invalidTableName", property + " '" + name + "' cannot be used: " + problem
					+ ". The tables are created and queried with the name unquoted; use " + TableNames.RULE);
		}
	}

	private static void requirePositive(Errors errors, String field, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			errors.rejectValue(field, "outbox.notPositive", "must be positive");
		}
	}

	/**
	 * Snapshot of the outbox table behind metrics, health and the actuator endpoint.
	 */
	public static class Monitor {

		/**
		 * Time between two readings of the table's statistics (pending and dead events,
		 * oldest pending event) and two purges.
		 */
		private Duration refreshInterval = Duration.ofSeconds(10);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * How long published and dead events are kept.
	 */
	public static class Retention {

		/**
		 * How long acknowledged events are kept, marked published, before they are
		 * purged. By default they are deleted at once. With table-layout 'debezium', how
		 * long rows are kept after their transaction instead of deleted in it.
		 */
		private @Nullable Duration published;

		/**
		 * How long dead events are kept before they are purged. By default they are kept
		 * until retried or discarded.
		 */
		private @Nullable Duration dead;

		/**
		 * Maximum number of events deleted by one purge statement.
		 */
		private int batchSize = 1000;

		public @Nullable Duration getPublished() {
			return this.published;
		}

		public void setPublished(@Nullable Duration published) {
			this.published = published;
		}

		public @Nullable Duration getDead() {
			return this.dead;
		}

		public void setDead(@Nullable Duration dead) {
			this.dead = dead;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

	}

	/**
	 * The inbox of the consuming side: idempotent {@code @KafkaListener} methods.
	 */
	public static class Inbox {

		/**
		 * Whether to enable the inbox (the Inbox bean and @Idempotent listener methods).
		 */
		private boolean enabled = true;

		/**
		 * Name of the table of processed events. The sequence table ('<name>_sequence')
		 * and the changelog tables derive from it. Lower-case letters, digits and
		 * underscores only, not a reserved word of SQL.
		 */
		private String tableName = "outbox_inbox";

		/**
		 * Record header holding the unique id of an event.
		 */
		private String idHeader = "ce_id";

		/**
		 * Record header holding the per-key sequence of an event, if any.
		 */
		private String sequenceHeader = "ce_sequence";

		/**
		 * What to do with an event older than an applied one of its key: 'skip' it, or
		 * 'fail' with a StaleEventException for the listener's error handler.
		 */
		private StaleEventPolicy onStale = StaleEventPolicy.SKIP;

		/**
		 * How long processed events are remembered. A redelivery after that is processed
		 * again.
		 */
		private Duration retention = Duration.ofDays(7);

		/**
		 * Time between two purges of the processed events past the retention.
		 */
		private Duration purgeInterval = Duration.ofMinutes(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public String getIdHeader() {
			return this.idHeader;
		}

		public void setIdHeader(String idHeader) {
			this.idHeader = idHeader;
		}

		public String getSequenceHeader() {
			return this.sequenceHeader;
		}

		public void setSequenceHeader(String sequenceHeader) {
			this.sequenceHeader = sequenceHeader;
		}

		public StaleEventPolicy getOnStale() {
			return this.onStale;
		}

		public void setOnStale(StaleEventPolicy onStale) {
			this.onStale = onStale;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getPurgeInterval() {
			return this.purgeInterval;
		}

		public void setPurgeInterval(Duration purgeInterval) {
			this.purgeInterval = purgeInterval;
		}

	}

	/**
	 * Thresholds of the 'outbox' health indicator, deprecated in favour of
	 * {@code management.health.outbox.*} ({@link OutboxHealthProperties}), which wins
	 * when both are set.
	 */
	public static class Health {

		/**
		 * Age of the oldest pending event above which the outbox is reported
		 * OUT_OF_SERVICE.
		 */
		private @Nullable Duration maxOldestAge;

		/**
		 * Number of dead events above which the outbox is reported OUT_OF_SERVICE.
		 */
		private @Nullable Long maxDead;

		/**
		 * Return the age of the oldest pending event above which the outbox is reported
		 * OUT_OF_SERVICE.
		 * @return the threshold, or {@code null} if not set
		 * @deprecated since 0.1.0 for removal in favour of
		 * {@link OutboxHealthProperties#getMaxOldestAge()}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "management.health.outbox.max-oldest-age", since = "0.1.0")
		public @Nullable Duration getMaxOldestAge() {
			return this.maxOldestAge;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setMaxOldestAge(@Nullable Duration maxOldestAge) {
			this.maxOldestAge = maxOldestAge;
		}

		/**
		 * Return the number of dead events above which the outbox is reported
		 * OUT_OF_SERVICE.
		 * @return the threshold, or {@code null} if not set
		 * @deprecated since 0.1.0 for removal in favour of
		 * {@link OutboxHealthProperties#getMaxDead()}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "management.health.outbox.max-dead", since = "0.1.0")
		public @Nullable Long getMaxDead() {
			return this.maxDead;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setMaxDead(@Nullable Long maxDead) {
			this.maxDead = maxDead;
		}

	}

	/**
	 * Capture of events in the publishing transaction.
	 */
	public static class Capture {

		/**
		 * What publishing an event does when no transaction is active: 'fail' throws an
		 * exception, 'own-transaction' writes the event at once in a transaction of its
		 * own.
		 */
		private OutsideTransaction outsideTransaction = OutsideTransaction.FAIL;

		public OutsideTransaction getOutsideTransaction() {
			return this.outsideTransaction;
		}

		public void setOutsideTransaction(OutsideTransaction outsideTransaction) {
			this.outsideTransaction = outsideTransaction;
		}

	}

	/**
	 * Creation of the outbox and inbox tables at startup.
	 */
	public static class Schema {

		/**
		 * When to create and update the outbox and inbox tables at startup: 'always',
		 * 'embedded' (only on an embedded database such as H2) or 'never' (the
		 * application's own migrations create them).
		 */
		private @Nullable DatabaseInitializationMode mode;

		/**
		 * Whether to create and update the outbox and inbox tables at startup.
		 */
		private @Nullable Boolean initialize;

		public @Nullable DatabaseInitializationMode getMode() {
			return this.mode;
		}

		public void setMode(@Nullable DatabaseInitializationMode mode) {
			this.mode = mode;
		}

		/**
		 * Return whether to create and update the tables at startup.
		 * @return whether to initialize the schema, or {@code null} if not set
		 * @deprecated since 0.1.0 for removal in favour of {@link #getMode()}:
		 * {@code true} is {@code always}, {@code false} is {@code never}
		 */
		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "outbox.schema.mode", since = "0.1.0",
				reason = "true is 'always', false is 'never'")
		public @Nullable Boolean getInitialize() {
			return this.initialize;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setInitialize(@Nullable Boolean initialize) {
			this.initialize = initialize;
		}

		/**
		 * Return when to create the tables: {@link #getMode()} if set, otherwise what the
		 * deprecated {@code outbox.schema.initialize} says, otherwise
		 * {@link DatabaseInitializationMode#ALWAYS}.
		 * @return the mode
		 */
		public DatabaseInitializationMode determineMode() {
			if (this.mode != null) {
				return this.mode;
			}
			return Boolean.FALSE.equals(this.initialize) ? DatabaseInitializationMode.NEVER
					: DatabaseInitializationMode.ALWAYS;
		}

	}

	/**
	 * Relay of pending events to Kafka.
	 */
	public static class Relay {

		/**
		 * Whether to run the relay in this instance.
		 */
		private boolean enabled = true;

		/**
		 * Time between two polls of the outbox table. Commits in this instance wake the
		 * relay at once, so this only bounds the delay of events committed elsewhere.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * Maximum number of events read, sent and deleted at once.
		 */
		private int batchSize = 2000;

		/**
		 * Batches relayed at once, each on its own thread and its own lanes (lane number
		 * modulo the concurrency), so that the database and the broker work at the same
		 * time. A lane is never in two batches at once.
		 */
		private int concurrency = 2;

		/**
		 * How long a commit in this instance waits for more commits when the relay
		 * started a batch of its lanes less than this long ago, so that a steady stream
		 * of commits is relayed in batches of several. A relay that was idle sends at
		 * once. 0 relays each commit as soon as the previous batch ends. On PostgreSQL,
		 * the notifications that wake the relays of other instances are sent at most once
		 * per linger too.
		 */
		private Duration linger = Duration.ofMillis(5);

		/**
		 * How long to wait for Kafka to acknowledge a batch before its unacknowledged
		 * events count as failed. Must be longer than the producer's
		 * 'delivery.timeout.ms' (30s unless set with 'outbox.kafka.producer.*').
		 */
		private Duration sendTimeout = Duration.ofSeconds(60);

		/**
		 * How long shutdown waits for the batch in progress.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		/**
		 * Id of this instance among the relays sharing the outbox table. Defaults to the
		 * host name followed by a random suffix.
		 */
		private @Nullable String instanceId;

		/**
		 * How long a lane lease lasts without renewal; renewed every third of it. An
		 * instance that dies without shutting down loses its lanes after this time.
		 */
		private Duration leaseTime = Duration.ofSeconds(10);

		/**
		 * What a dead event means for the later events of its key: 'skip' sends them,
		 * 'block' holds them until the dead event is retried or discarded.
		 */
		private DeadEventPolicy onDead = DeadEventPolicy.SKIP;

		/**
		 * Whether commits notify the relays of the other instances (PostgreSQL
		 * LISTEN/NOTIFY), so that they relay at once instead of at their next poll. The
		 * notification is sent right after the commit, not in the business transaction.
		 * Each relaying instance holds one connection to listen.
		 */
		private boolean notify = true;

		/**
		 * Whether the relay observes each send through the application's
		 * ObservationRegistry (an 'outbox.relay' observation and the Kafka template's
		 * own), so that a trace goes on from the publishing span to the consumer through
		 * the relay. Defaults to whether Micrometer Tracing traces (a Tracer other than
		 * the no-op one): without tracing the observations only make two timers per
		 * event, which cost the relay more CPU time than the rest of its work.
		 */
		private @Nullable Boolean observationEnabled;

		private final Retry retry = new Retry();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getLinger() {
			return this.linger;
		}

		public void setLinger(Duration linger) {
			this.linger = linger;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public DeadEventPolicy getOnDead() {
			return this.onDead;
		}

		public void setOnDead(DeadEventPolicy onDead) {
			this.onDead = onDead;
		}

		public boolean isNotify() {
			return this.notify;
		}

		public void setNotify(boolean notify) {
			this.notify = notify;
		}

		public @Nullable Boolean getObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(@Nullable Boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public Retry getRetry() {
			return this.retry;
		}

		/**
		 * Retries of events that failed to send.
		 */
		public static class Retry {

			/**
			 * Delay before the first retry of a failed event.
			 */
			private Duration initialDelay = Duration.ofSeconds(1);

			/**
			 * Factor applied to the delay after each further failure.
			 */
			private double multiplier = 2.0;

			/**
			 * Longest delay between two attempts.
			 */
			private Duration maxDelay = Duration.ofMinutes(5);

			/**
			 * Fraction of each delay, from 0 to 1, by which it is randomly shortened or
			 * lengthened so that retries spread out.
			 */
			private double jitter = 0.2;

			/**
			 * Send attempts after which an event is dead: kept with its error, no longer
			 * sent until retried or discarded.
			 */
			private int maxAttempts = 10;

			public int getMaxAttempts() {
				return this.maxAttempts;
			}

			public void setMaxAttempts(int maxAttempts) {
				this.maxAttempts = maxAttempts;
			}

			public Duration getInitialDelay() {
				return this.initialDelay;
			}

			public void setInitialDelay(Duration initialDelay) {
				this.initialDelay = initialDelay;
			}

			public double getMultiplier() {
				return this.multiplier;
			}

			public void setMultiplier(double multiplier) {
				this.multiplier = multiplier;
			}

			public Duration getMaxDelay() {
				return this.maxDelay;
			}

			public void setMaxDelay(Duration maxDelay) {
				this.maxDelay = maxDelay;
			}

			public double getJitter() {
				return this.jitter;
			}

			public void setJitter(double jitter) {
				this.jitter = jitter;
			}

		}

	}

	/**
	 * Kafka producer of the relay.
	 */
	public static class Kafka {

		/**
		 * Kafka producer properties of the relay, applied over 'spring.kafka.producer.*'
		 * and the outbox's defaults (acks=all, enable.idempotence=true, LZ4 compression
		 * unless 'spring.kafka.producer.compression-type' is set, linger.ms=5 with a
		 * flush after each batch, batch.size=131072 unless
		 * 'spring.kafka.producer.batch-size' is set). Settings that void the delivery
		 * guarantees fail at startup.
		 */
		private final Map<String, String> producer = new LinkedHashMap<>();

		public Map<String, String> getProducer() {
			return this.producer;
		}

	}

}
