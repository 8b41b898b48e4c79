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

/**
 * Layout of the outbox event table, which also decides who relays the events.
 *
 * @author Outbox contributors
 */
public enum OutboxTableLayout {

	/**
	 * The starter's own layout: the embedded relay reads the table and sends the events.
	 */
	RELAY,

	/**
	 * The layout of Debezium's outbox event router: rows are inserted and deleted in the
	 * publishing transaction, Debezium reads the inserts from the database log and
	 * publishes them; the embedded relay does not run.
	 */
	DEBEZIUM

}
