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

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outbox.integration.OutboxTestApplication.OrderPlaced;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writer threads committing transactions of one to three events of random keys at a
 * target rate, remembering which events were committed and which were only attempted (a
 * transaction whose commit failed may still have committed).
 */
final class Workload {

	private final Set<String> attempted = ConcurrentHashMap.newKeySet();

	private final Set<String> committed = ConcurrentHashMap.newKeySet();

	private final AtomicInteger failedTransactions = new AtomicInteger();

	private final AtomicInteger remaining;

	private final List<Thread> threads = new ArrayList<>();

	private final int keys;

	private Workload(int events, int keys) {
		this.remaining = new AtomicInteger(events);
		this.keys = keys;
	}

	/**
	 * Start writing.
	 * @param context the application whose transactions and event publisher are used
	 * @param threads the number of concurrent writers
	 * @param events the number of events to write
	 * @param keys the number of distinct keys
	 * @param eventsPerSecond the total rate, or 0 for as fast as possible
	 */
	static Workload start(ConfigurableApplicationContext context, int threads, int events, int keys,
			int eventsPerSecond) {
		Workload workload = new Workload(events, keys);
		TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
		for (int i = 0; i < threads; i++) {
			String prefix = "w" + i + "-";
			double perThread = (eventsPerSecond > 0) ? eventsPerSecond / (double) threads : 0;
			Thread thread = new Thread(() -> workload.write(context, transactions, prefix, perThread), "writer-" + i);
			workload.threads.add(thread);
			thread.start();
		}
		return workload;
	}

	private void write(ConfigurableApplicationContext context, TransactionTemplate transactions, String prefix,
			double eventsPerSecond) {
		long start = System.nanoTime();
		int written = 0;
		ThreadLocalRandom random = ThreadLocalRandom.current();
		while (true) {
			int size = 1 + random.nextInt(3);
			int left = this.remaining.getAndAdd(-size);
			if (left <= 0) {
				return;
			}
			size = Math.min(size, left);
			List<OrderPlaced> events = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				String note = prefix + (written + i);
				events.add(new OrderPlaced("key-" + random.nextInt(this.keys), written + i, note));
				this.attempted.add(note);
			}
			written += size;
			try {
				transactions.executeWithoutResult((status) -> events.forEach(context::publishEvent));
				events.forEach((event) -> this.committed.add(event.note()));
			}
			catch (RuntimeException ex) {
				this.failedTransactions.incrementAndGet();
			}
			if (eventsPerSecond > 0) {
				long due = start + (long) (written * TimeUnit.SECONDS.toNanos(1) / eventsPerSecond);
				long wait = due - System.nanoTime();
				if (wait > 0) {
					try {
						TimeUnit.NANOSECONDS.sleep(wait);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		}
	}

	/**
	 * Stop writing: each writer ends after the transaction it is in, if any.
	 */
	void stop() {
		this.remaining.set(0);
	}

	void await() throws InterruptedException {
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.MINUTES.toMillis(3));
		}
	}

	int committedCount() {
		return this.committed.size();
	}

	Set<String> attempted() {
		return this.attempted;
	}

	Set<String> committed() {
		return this.committed;
	}

	int failedTransactions() {
		return this.failedTransactions.get();
	}

}
