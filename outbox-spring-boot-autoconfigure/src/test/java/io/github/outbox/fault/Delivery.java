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

package io.github.outbox.fault;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.outbox.testsupport.TestKafka.Received;

/**
 * What arrived in Kafka compared with what was written: lost and unexpected events,
 * duplicates, and per-key order.
 *
 * @param received records read from the topic
 * @param distinct distinct events among them
 * @param duplicates records that repeat an event read before
 * @param lost committed events that never arrived
 * @param unexpected events that arrived but were never written
 * @param orderViolations first deliveries of a key's events whose sequence is not the
 * previous one plus one, in partition order
 * @param keys distinct keys
 */
record Delivery(int received, int distinct, int duplicates, Set<String> lost, Set<String> unexpected,
		int orderViolations, int keys) {

	private static final Pattern NOTE = Pattern.compile("\"note\":\"([^\"]+)\"");

	static Delivery of(List<Received> records, Workload workload) {
		Set<String> seen = new HashSet<>();
		Map<String, Long> lastSequence = new HashMap<>();
		int duplicates = 0;
		int violations = 0;
		for (Received record : records) {
			if (!seen.add(note(record))) {
				duplicates++;
				continue;
			}
			long previous = lastSequence.getOrDefault(record.key(), 0L);
			if (record.sequence() != previous + 1) {
				violations++;
			}
			lastSequence.put(record.key(), Math.max(previous, record.sequence()));
		}
		Set<String> lost = new HashSet<>(workload.committed());
		lost.removeAll(seen);
		Set<String> unexpected = new HashSet<>(seen);
		unexpected.removeAll(workload.attempted());
		return new Delivery(records.size(), seen.size(), duplicates, lost, unexpected, violations, lastSequence.size());
	}

	static String note(Received record) {
		Matcher matcher = NOTE.matcher(record.value());
		return matcher.find() ? matcher.group(1) : record.value();
	}

	String summary() {
		return "received=" + this.received + " distinct=" + this.distinct + " keys=" + this.keys + " lost="
				+ this.lost.size() + " unexpected=" + this.unexpected.size() + " duplicates=" + this.duplicates
				+ " orderViolations=" + this.orderViolations;
	}

}
