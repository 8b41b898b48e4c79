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

import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * Names of the outbox tables, all derived from the name of the event table.
 *
 * @param events table of pending events
 * @param sequences table of the last sequence number per topic and key
 * @param lanes table with one row per lane and its lease
 * @param instances table of the relay instances and their heartbeats
 * @author Outbox contributors
 */
public record OutboxTables(String events, String sequences, String lanes, String instances) {

	/**
	 * Longest accepted event table name, leaving room for the derived names within the 63
	 * characters PostgreSQL allows.
	 */
	public static final int MAX_NAME_LENGTH = 48;

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/**
	 * Return the tables derived from the given event table name.
	 * @param eventTable the name of the event table
	 * @return the tables
	 * @throws IllegalArgumentException if the name is not a plain SQL identifier
	 */
	public static OutboxTables of(String eventTable) {
		Assert.isTrue(isValidName(eventTable), () -> "'" + eventTable
				+ "' is not a valid table name: use letters, digits and underscores, starting with a letter or underscore, at most "
				+ MAX_NAME_LENGTH + " characters");
		return new OutboxTables(eventTable, eventTable + "_sequence", eventTable + "_lane", eventTable + "_instance");
	}

	/**
	 * Whether the given name can be used as the event table name.
	 * @param name the name to check
	 * @return {@code true} for a plain SQL identifier of acceptable length
	 */
	public static boolean isValidName(String name) {
		return name != null && name.length() <= MAX_NAME_LENGTH && IDENTIFIER.matcher(name).matches();
	}

}
