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

package io.github.outbox.benchmarks.peer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What capture costs a business transaction in a Spring Boot application, measured inside
 * it: a transaction inserting one business row alone, with one or five events published
 * through the library, and with a second plain row of the event's size instead (the floor
 * of any outbox that writes a row in the business transaction). Then the same with eight
 * writer threads, each event of a key of its own or all of one hot key. Rounds alternate
 * the cases; the median round of each case is kept, after warm-up rounds until the JIT
 * compiler is quiet (see {@link JitWarmUp}). Where a relay runs, each case starts once it
 * relayed the events of the cases before: a case's time includes the relay's work for its
 * own events, not for theirs.
 */
final class CaptureCost {

	private static final int ROUNDS = 6;

	private static final int WRITERS = 8;

	private static final String NOTE = "x".repeat(395);

	private final Peer peer;

	private final TransactionTemplate transactions;

	private final JdbcTemplate jdbc;

	private final byte[] plainPayload;

	private final AtomicInteger ids = new AtomicInteger();

	CaptureCost(Peer peer, TransactionTemplate transactions, JdbcTemplate jdbc) {
		this.peer = peer;
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.plainPayload = ("{\"orderId\":\"" + UUID.randomUUID()
				+ "\",\"key\":\"key-1\",\"customer\":\"customer-0001\"," + "\"amount\":\"123.45\",\"note\":\"" + NOTE
				+ "\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Run every case and return the median milliseconds per transaction of each, by name.
	 * @param transactionsPerCase the transactions of one case in one round
	 * @return the figures
	 * @throws Exception if a case fails
	 */
	Map<String, Double> run(int transactionsPerCase) throws Exception {
		this.jdbc.execute("CREATE TABLE IF NOT EXISTS business (id VARCHAR(36) PRIMARY KEY, amount INT)");
		this.jdbc.execute(
				"CREATE TABLE IF NOT EXISTS plain_row (id BIGSERIAL PRIMARY KEY, event_key VARCHAR(255), payload BYTEA)");
		Map<String, IntFunction<Runnable>> cases = new LinkedHashMap<>();
		cases.put("bare", (n) -> () -> business(n));
		cases.put("one", (n) -> () -> {
			business(n);
			this.peer.publish(List.of(event("key-" + (n % 1000))));
		});
		cases.put("five", (n) -> () -> {
			business(n);
			List<BenchOrderPlaced> events = new ArrayList<>(5);
			for (int e = 0; e < 5; e++) {
				events.add(event("key-" + ((n * 5 + e) % 1000)));
			}
			this.peer.publish(events);
		});
		cases.put("floor", (n) -> () -> {
			business(n);
			this.jdbc.update("INSERT INTO plain_row (event_key, payload) VALUES (?, ?)", "key-" + (n % 1000),
					this.plainPayload);
		});
		Map<String, double[]> millis = new LinkedHashMap<>();
		cases.keySet().forEach((name) -> millis.put(name, new double[ROUNDS]));
		millis.put("bare-8", new double[ROUNDS]);
		millis.put("one-8-distinct", new double[ROUNDS]);
		millis.put("one-8-hot", new double[ROUNDS]);
		ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
		try {
			// warm-up: whole rounds, not measured, until the JIT compiler is quiet
			Map<String, double[]> warmUp = new LinkedHashMap<>();
			millis.keySet().forEach((name) -> warmUp.put(name, new double[1]));
			JitWarmUp
				.untilQuiet(() -> JitWarmUp.quietDuring(() -> round(cases, writers, warmUp, 0, transactionsPerCase)));
			for (int round = 0; round < ROUNDS; round++) {
				round(cases, writers, millis, round, transactionsPerCase);
			}
		}
		finally {
			writers.shutdownNow();
		}
		Map<String, Double> median = new LinkedHashMap<>();
		millis.forEach((name, results) -> {
			Arrays.sort(results);
			median.put(name, results[results.length / 2]);
		});
		return median;
	}

	private void round(Map<String, IntFunction<Runnable>> cases, ExecutorService writers, Map<String, double[]> millis,
			int round, int transactionsPerCase) throws Exception {
		for (Map.Entry<String, IntFunction<Runnable>> entry : cases.entrySet()) {
			awaitRelayed();
			long start = System.nanoTime();
			for (int i = 0; i < transactionsPerCase; i++) {
				this.transactions.executeWithoutResult((status) -> entry.getValue().apply(nextId()).run());
			}
			record(millis, entry.getKey(), round, start, transactionsPerCase);
		}
		int concurrent = transactionsPerCase * 2;
		awaitRelayed();
		record(millis, "bare-8", round, concurrently(writers, concurrent, (writer, n) -> business(n)), concurrent);
		awaitRelayed();
		record(millis, "one-8-distinct", round, concurrently(writers, concurrent, (writer, n) -> {
			business(n);
			this.peer.publish(List.of(event("writer-" + writer + "-" + (n % 100))));
		}), concurrent);
		awaitRelayed();
		record(millis, "one-8-hot", round, concurrently(writers, concurrent, (writer, n) -> {
			business(n);
			this.peer.publish(List.of(event("hot")));
		}), concurrent);
	}

	/**
	 * Wait until the relay, if one runs here, relayed every event written so far.
	 */
	private void awaitRelayed() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
		while (this.peer.relays() && this.peer.pending() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The relay did not catch up within a minute");
			}
			Thread.sleep(1);
		}
	}

	private static void record(Map<String, double[]> millis, String name, int round, long start, int transactions) {
		millis.get(name)[round] = (System.nanoTime() - start) / 1e6 / transactions;
	}

	/**
	 * Run the given number of transactions on the writer threads, each writer its share.
	 * @return the start time
	 */
	private long concurrently(ExecutorService writers, int transactions, Work work) throws Exception {
		long start = System.nanoTime();
		List<Future<?>> done = new ArrayList<>();
		for (int writer = 0; writer < WRITERS; writer++) {
			int id = writer;
			done.add(writers.submit(() -> {
				for (int i = 0; i < transactions / WRITERS; i++) {
					int n = nextId();
					this.transactions.executeWithoutResult((status) -> work.run(id, n));
				}
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		return start;
	}

	private void business(int n) {
		this.jdbc.update("INSERT INTO business (id, amount) VALUES (?, ?)", UUID.randomUUID().toString(), n);
	}

	private static BenchOrderPlaced event(String key) {
		return new BenchOrderPlaced(UUID.randomUUID().toString(), key, "customer-0001", "123.45", NOTE);
	}

	private int nextId() {
		return this.ids.getAndIncrement();
	}

	/**
	 * The line {@code PeerMain} prints for the given figures.
	 * @param median the figures of {@link #run(int)}
	 * @return the line
	 */
	static String result(Map<String, Double> median) {
		StringBuilder line = new StringBuilder("RESULT capture");
		median.forEach((name,
				value) -> line.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.4f", value)));
		return line.toString();
	}

	@FunctionalInterface
	private interface Work {

		void run(int writer, int n);

	}

}
