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

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;
import org.springframework.util.Assert;

/**
 * Reads and writes the lane and instance tables: heartbeats of the relay instances, the
 * leases that give each lane to at most one of them, and the row locks a relay holds on
 * its lanes while it works on them. Every method works in the transaction bound to the
 * calling thread.
 *
 * @author Outbox contributors
 */
public class OutboxLanes {

	private static final String SKIP_LOCKED = " FOR UPDATE SKIP LOCKED";

	private final JdbcTemplate jdbc;

	private final OutboxTables tables;

	private final int lanes;

	/**
	 * Create an instance.
	 * @param dataSource the data source holding the outbox tables
	 * @param tables the outbox tables
	 * @param lanes the number of lanes
	 */
	public OutboxLanes(DataSource dataSource, OutboxTables tables, int lanes) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(tables, "'tables' must not be null");
		Assert.isTrue(lanes > 0, "'lanes' must be positive");
		this.jdbc = new JdbcTemplate(dataSource);
		this.tables = tables;
		this.lanes = lanes;
	}

	/**
	 * Return the number of lanes.
	 * @return the lane count
	 */
	public int getLanes() {
		return this.lanes;
	}

	/**
	 * Create the lane rows that do not exist yet. Safe to call from several instances at
	 * once.
	 */
	public void createLanes() {
		Set<Integer> existing = new HashSet<>(
				this.jdbc.queryForList("SELECT lane FROM " + this.tables.lanes(), Integer.class));
		for (int lane = 0; lane < this.lanes; lane++) {
			if (!existing.contains(lane)) {
				try {
					this.jdbc.update("INSERT INTO " + this.tables.lanes() + " (lane) VALUES (?)", lane);
				}
				catch (DuplicateKeyException ex) {
					// another instance created it at the same time
				}
			}
		}
	}

	/**
	 * Record a heartbeat of the given instance, forget instances silent for ten lease
	 * times, and count the live instances.
	 * @param instance the instance id
	 * @param now the current time
	 * @param leaseTime how long a lease and a heartbeat are valid
	 * @return the number of instances with a heartbeat within the lease time, this one
	 * included
	 */
	public int heartbeat(String instance, Instant now, Duration leaseTime) {
		Object timestamp = StoreSql.toTimestamp(now);
		if (this.jdbc.update("UPDATE " + this.tables.instances() + " SET heartbeat_at = ? WHERE instance_id = ?",
				timestamp, instance) == 0) {
			this.jdbc.update("INSERT INTO " + this.tables.instances() + " (instance_id, heartbeat_at) VALUES (?, ?)",
					instance, timestamp);
		}
		forgetSilentInstances(StoreSql.toTimestamp(now.minus(leaseTime.multipliedBy(10))));
		Integer live = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.tables.instances() + " WHERE heartbeat_at > ?", Integer.class,
				StoreSql.toTimestamp(now.minus(leaseTime)));
		return Math.max(1, (live != null) ? live : 1);
	}

	/**
	 * Delete the instances silent since the given time, one by one by primary key with
	 * the condition checked again. A {@code DELETE … WHERE heartbeat_at < ?} would scan
	 * the table and, on MariaDB and MySQL, wait for every row another transaction has
	 * locked, such as the heartbeat of a live instance whose renewal is in progress.
	 * @param silentSince the time
	 */
	private void forgetSilentInstances(Object silentSince) {
		List<String> silent = this.jdbc.query(
				"SELECT instance_id FROM " + this.tables.instances() + " WHERE heartbeat_at < ?",
				(rs, rowNum) -> rs.getString(1), silentSince);
		for (String instance : silent) {
			this.jdbc.update("DELETE FROM " + this.tables.instances() + " WHERE instance_id = ? AND heartbeat_at < ?",
					instance, silentSince);
		}
	}

	/**
	 * Return when the first of the other live instances will count as dead if it sends no
	 * heartbeat before: its last heartbeat plus the lease time.
	 * @param instance the id of this instance
	 * @param now the current time
	 * @param leaseTime how long a lease and a heartbeat are valid
	 * @return the time, or {@code null} if no other instance is live
	 */
	public @Nullable Instant nextExpiry(String instance, Instant now, Duration leaseTime) {
		LocalDateTime oldest = this.jdbc.queryForObject(
				"SELECT MIN(heartbeat_at) FROM " + this.tables.instances()
						+ " WHERE instance_id <> ? AND heartbeat_at > ?",
				LocalDateTime.class, instance, StoreSql.toTimestamp(now.minus(leaseTime)));
		return (oldest != null) ? oldest.toInstant(ZoneOffset.UTC).plus(leaseTime) : null;
	}

	/**
	 * Return when the first lease that another instance holds expires after the given
	 * time: the earliest time this instance may take that lane over if the other instance
	 * stops renewing.
	 * @param instance the id of this instance
	 * @param now the current time
	 * @return the time, or {@code null} if no other instance holds a lease after now
	 */
	public @Nullable Instant nextLeaseExpiry(String instance, Instant now) {
		LocalDateTime first = this.jdbc.queryForObject(
				"SELECT MIN(lease_until) FROM " + this.tables.lanes()
						+ " WHERE owner <> ? AND lease_until >= ? AND lane < ?",
				LocalDateTime.class, instance, StoreSql.toTimestamp(now), this.lanes);
		return (first != null) ? first.toInstant(ZoneOffset.UTC) : null;
	}

	/**
	 * Extend the leases the given instance still holds.
	 * @param instance the instance id
	 * @param until the new end of the leases
	 * @return the lanes the instance holds, in ascending order
	 */
	public List<Integer> renew(String instance, Instant until) {
		this.jdbc.update("UPDATE " + this.tables.lanes() + " SET lease_until = ? WHERE owner = ?",
				StoreSql.toTimestamp(until), instance);
		return this.jdbc.query(
				"SELECT lane FROM " + this.tables.lanes() + " WHERE owner = ? AND lane < ? ORDER BY lane",
				StoreSql.INT_COLUMN, instance, this.lanes);
	}

	/**
	 * Count the lanes the given instance holds, without waiting for the locks of a batch
	 * that relays them.
	 * @param instance the instance id
	 * @return the number of lanes
	 */
	public int countOwned(String instance) {
		Integer count = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.tables.lanes() + " WHERE owner = ? AND lane < ?", Integer.class,
				instance, this.lanes);
		return (count != null) ? count : 0;
	}

	/**
	 * Count the lanes that nobody holds or whose lease expired, locked or not, without
	 * waiting for any lock.
	 * @param now the current time
	 * @return the number of lanes
	 */
	public int countClaimable(Instant now) {
		Integer count = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.tables.lanes()
						+ " WHERE (owner IS NULL OR lease_until < ?) AND lane < ?",
				Integer.class, StoreSql.toTimestamp(now), this.lanes);
		return (count != null) ? count : 0;
	}

	/**
	 * Take over up to {@code max} lanes that nobody holds or whose lease expired. Lanes
	 * whose row another relay has locked are skipped.
	 * @param instance the instance id
	 * @param now the current time
	 * @param until the end of the new leases
	 * @param max the maximum number of lanes to take
	 * @return the lanes taken
	 */
	public List<Integer> claim(String instance, Instant now, Instant until, int max) {
		if (max <= 0) {
			return List.of();
		}
		List<Integer> free = this.jdbc.query(
				"SELECT lane FROM " + this.tables.lanes()
						+ " WHERE (owner IS NULL OR lease_until < ?) AND lane < ? ORDER BY lane" + SKIP_LOCKED,
				StoreSql.INT_COLUMN, StoreSql.toTimestamp(now), this.lanes);
		List<Integer> taken = new ArrayList<>(free.subList(0, Math.min(max, free.size())));
		if (!taken.isEmpty()) {
			List<Object> arguments = new ArrayList<>(List.of(instance, StoreSql.toTimestamp(until)));
			arguments.addAll(taken);
			this.jdbc.update("UPDATE " + this.tables.lanes() + " SET owner = ?, lease_until = ? WHERE lane IN ("
					+ StoreSql.placeholders(taken.size()) + ")", arguments.toArray());
		}
		return taken;
	}

	/**
	 * Give back the given lanes of an instance, so that other instances can take them at
	 * once.
	 * @param instance the instance id
	 * @param lanes the lanes to give back
	 */
	public void release(String instance, Collection<Integer> lanes) {
		if (lanes.isEmpty()) {
			return;
		}
		List<Object> arguments = new ArrayList<>(List.of(instance));
		arguments.addAll(lanes);
		this.jdbc.update("UPDATE " + this.tables.lanes() + " SET owner = NULL, lease_until = NULL WHERE owner = ?"
				+ " AND lane IN (" + StoreSql.placeholders(lanes.size()) + ")", arguments.toArray());
	}

	/**
	 * Give back every lane of an instance and forget its heartbeat.
	 * @param instance the instance id
	 */
	public void leave(String instance) {
		this.jdbc.update("UPDATE " + this.tables.lanes() + " SET owner = NULL, lease_until = NULL WHERE owner = ?",
				instance);
		this.jdbc.update("DELETE FROM " + this.tables.instances() + " WHERE instance_id = ?", instance);
	}

	/**
	 * Lock the lanes the given instance holds a valid lease on, until the current
	 * transaction ends. While a lane is locked, no other instance can take it over, even
	 * if the lease expires meanwhile.
	 * @param instance the instance id
	 * @param now the current time
	 * @return the locked lanes, in ascending order
	 */
	public List<Integer> lockOwned(String instance, Instant now) {
		return lockOwned(instance, now, "");
	}

	/**
	 * Lock the lanes the given instance holds a valid lease on, as
	 * {@link #lockOwned(String, Instant)} does, after the given statements, sent with it
	 * in one round trip.
	 * @param instance the instance id
	 * @param now the current time
	 * @param preamble statements to run first, each followed by {@code ;}, or an empty
	 * string (see {@link OutboxStore#relayBatchPreamble(boolean)})
	 * @return the locked lanes, in ascending order
	 */
	public List<Integer> lockOwned(String instance, Instant now, String preamble) {
		return queryLanes(
				preamble + "SELECT lane FROM " + this.tables.lanes()
						+ " WHERE owner = ? AND lease_until > ? AND lane < ? ORDER BY lane" + SKIP_LOCKED,
				instance, StoreSql.toTimestamp(now), this.lanes);
	}

	/**
	 * Lock the lanes of one group the given instance holds a valid lease on, until the
	 * current transaction ends: those whose number leaves the given remainder divided by
	 * the number of groups. An instance relaying several groups at once never has one
	 * lane in two batches.
	 * @param instance the instance id
	 * @param now the current time
	 * @param groups the number of groups
	 * @param group the group, from 0 to {@code groups - 1}
	 * @return the locked lanes, in ascending order
	 */
	public List<Integer> lockOwned(String instance, Instant now, int groups, int group) {
		return lockOwned(instance, now, groups, group, "");
	}

	/**
	 * Lock the lanes of one group the given instance holds a valid lease on, as
	 * {@link #lockOwned(String, Instant, int, int)} does, after the given statements,
	 * sent with it in one round trip.
	 * @param instance the instance id
	 * @param now the current time
	 * @param groups the number of groups
	 * @param group the group, from 0 to {@code groups - 1}
	 * @param preamble statements to run first, each followed by {@code ;}, or an empty
	 * string (see {@link OutboxStore#relayBatchPreamble(boolean)})
	 * @return the locked lanes, in ascending order
	 */
	public List<Integer> lockOwned(String instance, Instant now, int groups, int group, String preamble) {
		return queryLanes(preamble + "SELECT lane FROM " + this.tables.lanes()
				+ " WHERE owner = ? AND lease_until > ? AND lane < ? AND MOD(lane, ?) = ? ORDER BY lane" + SKIP_LOCKED,
				instance, StoreSql.toTimestamp(now), this.lanes, groups, group);
	}

	/**
	 * Run a statement reading lanes, after the statements before it in the same text if
	 * any: their results (none) are skipped up to the lanes.
	 */
	private List<Integer> queryLanes(String sql, Object... arguments) {
		List<Integer> lanes = this.jdbc.execute(sql, (PreparedStatementCallback<List<Integer>>) (statement) -> {
			new ArgumentPreparedStatementSetter(arguments).setValues(statement);
			boolean resultSet = statement.execute();
			while (!resultSet && statement.getUpdateCount() != -1) {
				resultSet = statement.getMoreResults();
			}
			if (!resultSet) {
				return List.<Integer>of();
			}
			try (ResultSet rs = statement.getResultSet()) {
				return new RowMapperResultSetExtractor<>(StoreSql.INT_COLUMN).extractData(rs);
			}
		});
		return (lanes != null) ? lanes : List.of();
	}

	/**
	 * Return the owner of every lane.
	 * @return lane to owner id, or to {@code null} for a free lane
	 */
	public Map<Integer, String> owners() {
		Map<Integer, String> owners = new LinkedHashMap<>();
		this.jdbc.query("SELECT lane, owner FROM " + this.tables.lanes() + " ORDER BY lane", (rs) -> {
			owners.put(rs.getInt(1), rs.getString(2));
		});
		return owners;
	}

}
