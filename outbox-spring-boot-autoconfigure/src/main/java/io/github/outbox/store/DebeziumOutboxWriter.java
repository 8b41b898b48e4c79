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
package io.github.outbox.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.Assert;

/**
 * Writes events in the layout of Debezium's outbox event router
 * ({@code io.debezium.transforms.outbox.EventRouter}): {@code id} (the event id),
 * {@code aggregatetype}, {@code aggregateid} (the key), {@code type}, {@code payload},
 * plus the topic, the CloudEvents attributes, the sequence, the content type and the
 * trace context as columns the router places into headers. Each row is inserted and
 * deleted in the publishing transaction (Debezium reads the insert from the database log,
 * the table stays empty), or kept to be purged later. Sequences are taken from the
 * sequence table as the embedded relay's layout does, so they follow the commit order of
 * each topic and key.
 *
 * @author Outbox contributors
 */
public class DebeziumOutboxWriter implements OutboxWriter {

	private static final String CONTENT_TYPE = "content-type";

	private static final String TRACEPARENT = "traceparent";

	/**
	 * Trace context headers a propagator may add besides {@code traceparent}: the router
	 * has no column for them, the trace continues from {@code traceparent}.
	 */
	private static final Set<String> DROPPED_TRACE_HEADERS = Set.of("tracestate", "baggage", "b3", "x-b3-traceid",
			"x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags");

	private static final String EVENTS_SUFFIX = ".events";

	private final JdbcTemplate jdbc;

	private final OutboxDialect dialect;

	private final OutboxTables tables;

	private final String source;

	private final String insertSql;

	private final String deleteSql;

	private boolean keepRows;

	/**
	 * Create an instance.
	 * @param dataSource the data source holding the outbox tables
	 * @param dialect the dialect of the database
	 * @param tables the outbox tables: the event table in the router's layout and the
	 * sequence table
	 * @param source the CloudEvents source of the events, typically the application name
	 */
	public DebeziumOutboxWriter(DataSource dataSource, OutboxDialect dialect, OutboxTables tables, String source) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(dialect, "'dialect' must not be null");
		Assert.notNull(tables, "'tables' must not be null");
		Assert.hasText(source, "'source' must not be empty");
		this.jdbc = new JdbcTemplate(dataSource);
		this.dialect = dialect;
		this.tables = tables;
		this.source = source;
		String payload = isPostgres() ? "CAST(? AS jsonb)" : "?";
		this.insertSql = "INSERT INTO " + tables.events() + " (id, ce_specversion, aggregatetype, aggregateid, type,"
				+ " payload, topic, ce_source, ce_time, ce_sequence, content_type, traceparent, tracingspancontext,"
				+ " created_at) VALUES (?, '1.0', ?, ?, ?, " + payload + ", ?, ?, ?, ?, ?, ?, ?, ?)";
		this.deleteSql = "DELETE FROM " + tables.events() + " WHERE id = ?";
	}

	/**
	 * Set whether rows are kept after the transaction that wrote them, to be purged by
	 * {@link #purge(Instant, int)}, instead of deleted in it.
	 * @param keepRows whether to keep the rows
	 */
	public void setKeepRows(boolean keepRows) {
		this.keepRows = keepRows;
	}

	/**
	 * Delete up to {@code limit} rows written before the given time.
	 * @param before the time
	 * @param limit the maximum number of rows
	 * @return the number of rows deleted
	 */
	public int purge(Instant before, int limit) {
		String events = this.tables.events();
		List<Object> ids = this.jdbc.query(
				"SELECT id FROM " + events + " WHERE created_at < ? ORDER BY created_at LIMIT ?",
				(rs, rowNum) -> rs.getObject(1), StoreSql.toTimestamp(before), limit);
		if (ids.isEmpty()) {
			return 0;
		}
		return this.jdbc.update("DELETE FROM " + events + " WHERE id IN (" + StoreSql.placeholders(ids.size()) + ")",
				ids.toArray());
	}

	/**
	 * Return the outbox tables.
	 * @return the tables
	 */
	public OutboxTables getTables() {
		return this.tables;
	}

	/**
	 * Whether the payload column has the database's JSON type ({@code jsonb} on
	 * PostgreSQL), which only takes JSON payloads.
	 * @return {@code true} on PostgreSQL
	 */
	public boolean isJsonPayload() {
		return isPostgres();
	}

	/**
	 * The router places columns into headers, one column per header: headers other than
	 * {@code content-type} and the trace context cannot travel this way.
	 */
	@Override
	public void check(OutboxMessage message) {
		for (String name : message.headers().keySet()) {
			String lowerCase = name.toLowerCase(Locale.ROOT);
			if (!lowerCase.equals(CONTENT_TYPE) && !lowerCase.equals(TRACEPARENT)
					&& !DROPPED_TRACE_HEADERS.contains(lowerCase)) {
				throw new IllegalArgumentException("header '" + name + "' cannot be sent with outbox.table-layout="
						+ "debezium: Debezium's outbox event router sends the columns of the outbox table as headers, "
						+ "which hold the CloudEvents attributes, content-type and traceparent only");
			}
		}
	}

	@Override
	public void insert(List<OutboxMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		Long[] sequences = Sequences.assign(this.jdbc, this.dialect, this.tables, messages);
		this.jdbc.batchUpdate(this.insertSql, new BatchPreparedStatementSetter() {

			@Override
			public void setValues(PreparedStatement ps, int i) throws SQLException {
				bind(ps, messages.get(i), sequences[i]);
			}

			@Override
			public int getBatchSize() {
				return messages.size();
			}

		});
		if (!this.keepRows) {
			this.jdbc.batchUpdate(this.deleteSql, messages, messages.size(), (ps, message) -> bindId(ps, 1, message));
		}
	}

	private void bind(PreparedStatement ps, OutboxMessage message, @Nullable Long sequence) throws SQLException {
		bindId(ps, 1, message);
		ps.setString(2, aggregateType(message.topic()));
		ps.setString(3, message.key());
		ps.setString(4, message.type());
		if (isPostgres()) {
			ps.setString(5, new String(message.payload(), StandardCharsets.UTF_8));
		}
		else {
			ps.setBytes(5, message.payload());
		}
		ps.setString(6, message.topic());
		ps.setString(7, this.source);
		// the precision of the embedded relay's ce_time, read back from a TIMESTAMP(6)
		// column
		ps.setString(8, message.createdAt().truncatedTo(ChronoUnit.MICROS).toString());
		if (sequence != null) {
			ps.setLong(9, sequence);
		}
		else {
			ps.setNull(9, Types.BIGINT);
		}
		ps.setString(10, message.headers().get(CONTENT_TYPE));
		String traceparent = message.headers().get(TRACEPARENT);
		ps.setString(11, traceparent);
		ps.setString(12, (traceparent != null) ? TRACEPARENT + "=" + traceparent + "\n" : null);
		ps.setObject(13, StoreSql.toTimestamp(message.createdAt()));
	}

	private void bindId(PreparedStatement ps, int index, OutboxMessage message) throws SQLException {
		if (this.dialect.name().equals("mariadb")) {
			ps.setString(index, message.eventId().toString());
		}
		else {
			ps.setObject(index, message.eventId());
		}
	}

	/**
	 * The aggregate type of the reference convention, whose connector routes aggregate
	 * type {@code order} to topic {@code order.events}: the topic without that suffix.
	 * @param topic the event's topic
	 * @return the aggregate type
	 */
	static String aggregateType(String topic) {
		return (topic.endsWith(EVENTS_SUFFIX) && topic.length() > EVENTS_SUFFIX.length())
				? topic.substring(0, topic.length() - EVENTS_SUFFIX.length()) : topic;
	}

	private boolean isPostgres() {
		return this.dialect.name().equals("postgresql");
	}

}
