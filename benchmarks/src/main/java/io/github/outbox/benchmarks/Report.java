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

package io.github.outbox.benchmarks;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import io.github.outbox.benchmarks.Benchmarks.Row;

/**
 * Writes the results as Markdown, with the targets of the benchmark checked against them,
 * and as an SVG bar chart of the drain rates.
 */
final class Report {

	private Report() {
	}

	static String markdown(List<Row> rows, int events, int runs) {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Produced by the benchmark module, not written by hand:\n\n```shell\n")
			.append("./mvnw -q -pl benchmarks -am spring-boot:run\n```\n\n");
		md.append(
				"Options (after `-Dspring-boot.run.arguments=`): `--events=100000` (drain backlog; `--events=1000000` ")
			.append("for the 1M drain), `--runs=3`, `--steady-seconds=60`, `--rate=2000`, `--large=1000000` ")
			.append("(large backlog of the scaling figure; `--large=5000000` for 5M, 0 to skip), ")
			.append("`--only=peers,limits,relay,scaling,steady,peer-steady,capture,app-capture` (a subset), `--peers=outbox,modulith,namastack` (the peers of peers and peer-steady), `--transactions=1000` (transactions per case of app-capture), ")
			.append("`--profile=/tmp` (a JFR recording of every peer process), ")
			.append("`--app-properties=outbox.relay.linger=10ms,outbox.relay.concurrency=1` (properties of the ")
			.append("outbox starter's Boot app in every scenario that runs it, for tuning), ")
			.append("`--compare=relay-500-1,relay-500-2,app` (tuning: the raw loop then each variant, run after run, ")
			.append("ratios printed, nothing written; `relay-<batch>-<concurrency>` in process, `app` the Boot app, `app+outbox.x=y+outbox.z=w` the Boot app with these properties, `raw-headers` the raw loop with the starter's headers on each record), ")
			.append("`--steady-compare=relay-2-5,relay-1-0,relay-2-5-0` (tuning: the steady raw loop then the in-process relay, one instance, ")
			.append("with each `relay-<concurrency>-<linger ms>[-<producer linger.ms>]`, run after run, p99 ratios printed, nothing written), ")
			.append("`--jdbc=jdbc:postgresql://127.0.0.1:5432/`.\n\n");
		List<String> dates = rows.stream()
			.map((row) -> row.date)
			.filter((date) -> !date.isEmpty())
			.distinct()
			.sorted()
			.toList();
		md.append("Each section shows the last run that measured it (`docs/benchmarks.tsv` keeps them, so a run with ")
			.append("`--only` replaces its own sections only); runs of ")
			.append(dates.isEmpty() ? LocalDate.now().toString() : String.join(", ", dates))
			.append(" on this machine: ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, PostgreSQL 15 on the same machine, Kafka in-process (KRaft, one broker, topics of three ")
			.append("partitions), Java ")
			.append(System.getProperty("java.version"))
			.append(". Every event is about 500 bytes of JSON over 1,000 keys; every producer uses acks=all with ")
			.append("idempotence. Drain figures are the median of ")
			.append(runs)
			.append(" runs of a backlog of ")
			.append(String.format(Locale.ROOT, "%,d", events))
			.append(" events already in the table, timed from the relay's start until Kafka acknowledged the last one.\n\n");
		section(md, "Side by side", """
				Each library runs as a Spring Boot application in a process of its own (the others' \
				auto-configuration excluded), against the same PostgreSQL and the same broker, the runs \
				interleaved; each process first drains warm-up backlogs of up to 20,000 events until its JIT \
				compiler is quiet (under 2% of a drain's time compiling, at most 2 minutes). Every application has \
				Spring Boot's actuator, as one that watches the outbox's meters and endpoint does (an \
				`ObservationRegistry` with Micrometer's meter handler, no tracing). This starter runs with \
				its defaults. Spring Modulith: JDBC event publication registry, `@Externalized` event, Kafka \
				externalization, completed publications deleted; its backlog is outstanding publications \
				resubmitted as on restart (the Kafka module of Modulith 2.1 is not on Maven Central here, 2.0.3 is \
				the newest that runs). namastack-outbox: JDBC starter, a typed handler sending through \
				`KafkaTemplate` and waiting for the acknowledgement (as its own Kafka handler does), with the \
				platform-thread settings of its performance tuning guide (batch 1000, poll 25 ms, 16-32 threads, \
				completed records deleted). Steady latency: one event per transaction at a fixed rate from 4 \
				writer threads after a 5 s warm-up, from the publishing call to the broker's append time of the \
				record.""");
		table(md, rows, (row) -> row.kind.startsWith("peer-"), "ours", (row) -> oursComparedTo(rows, row));
		section(md, "Limits and tuning", """
				The relay next to what the machine allows: Kafka's producer alone (no database), the simplest \
				correct loop (select 2,000, send all, await, delete), the Boot app with its defaults draining \
				events published through `ApplicationEventPublisher` (the raw loop and the app run after run), \
				and the relay in the benchmark's process. Each is warmed up first by a drain that is not \
				measured (the Boot app by `--warm-up`).""");
		table(md, rows, (row) -> row.kind.equals("drain"), "ratio", (row) -> ofRaw(rows, row));
		section(md, "Latency, one instance and across instances", """
				Across instances, the writer has no relay: the relay of another instance owns every lane and \
				is woken by PostgreSQL `LISTEN/NOTIFY` at commit, or, without notifications, by its poll every \
				second; a run that relayed events is followed by another 20 ms later, until one finds nothing. \
				One event per transaction at a fixed rate from 4 writer threads after a 5 s warm-up, from the \
				capture of the event to Kafka's acknowledgement. Two yardsticks first, on the same machine: \
				Kafka's producer alone sending each record as it is due (no database), and the simplest correct \
				loop (the writers insert a plain row each, one thread selects up to 2,000, sends them, awaits the \
				acknowledgements, deletes them by id, and looks again after 1 ms when it found none).""");
		table(md, rows, (row) -> row.kind.equals("latency"), "p99 vs raw loop", (row) -> p99OfRawLoop(rows, row));
		section(md, "Backlog scaling",
				"The same relay draining a small and a large backlog, on the machine's shared PostgreSQL (autovacuum off) and on a PostgreSQL with default settings that the benchmark starts itself (own data directory and port).");
		table(md, rows, (row) -> row.kind.equals("scaling"), "ratio", (row) -> ofSmallBacklog(rows, row));
		section(md, "Capture overhead", """
				A business transaction inserting one row, alone and with one or five outbox events written in \
				it; the ratio of their times. The capture alone, in the benchmark's process: no relay runs and \
				nobody is notified after commit (the Boot app below has both). The last row writes the event's \
				row through the store alone, without the capture around it: the difference between it and the \
				floor is the database's (the key's sequence taken in the same statement, a wider row), the \
				difference between it and one event captured is the library's code.""");
		table(md, rows, (row) -> row.kind.equals("overhead"), "ratio",
				(row) -> String.format(Locale.ROOT, "%.2fx", row.ratio));
		section(md, "Capture cost in a Boot app",
				"""
						The outbox starter's Boot app with its defaults (relay running): a transaction inserting one \
						business row, with events published through `ApplicationEventPublisher`, against the same \
						transaction without them; the floor writes a second plain row of the event's size instead. \
						Each case starts once the relay has relayed the events of the cases before it, so that a case's \
						time includes the relay's work for its own events only. With 8 writer threads, against 8 writers of the bare transaction. Then PostgreSQL's `NOTIFY`: an \
						instance whose relay does not hold the events' lanes notifies the other instances' relays after \
						its commits, at most once per `outbox.relay.linger` (an instance whose relay holds them, as \
						above, sends none); here an instance without \
						a relay, with and without `outbox.relay.notify`.""");
		table(md, rows, (row) -> row.kind.equals("app-overhead"), "ratio",
				(row) -> String.format(Locale.ROOT, "%.2fx", row.ratio));
		md.append("![drain rates](benchmarks.svg)\n\n");
		md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
		for (String[] target : targets(rows)) {
			md.append("| ").append(String.join(" | ", target)).append(" |\n");
		}
		return md.toString();
	}

	private static void section(StringBuilder md, String title, String text) {
		md.append("## ").append(title).append("\n\n").append(text.strip()).append("\n\n");
	}

	private static void table(StringBuilder md, List<Row> rows, Predicate<Row> filter, String ratioTitle,
			java.util.function.Function<Row, String> ratio) {
		md.append("| benchmark | events/s | p50 | p99 | max | ").append(ratioTitle).append(" |\n");
		md.append("|---|---:|---:|---:|---:|---:|\n");
		for (Row row : rows) {
			if (!filter.test(row)) {
				continue;
			}
			String name = row.detail.isEmpty() ? row.name : row.name + " (" + row.detail + ")";
			if (row.p99 > 0 || row.kind.endsWith("latency")) {
				md.append(String.format(Locale.ROOT, "| %s | | %.1f ms | %.1f ms | %.1f ms | %s |%n", name,
						row.p50 / 1e6, row.p99 / 1e6, row.max / 1e6, ratio.apply(row)));
			}
			else if (row.nanos > 0) {
				md.append(String.format(Locale.ROOT, "| %s | %,.0f | | | | %s |%n", name, row.eventsPerSecond(),
						ratio.apply(row)));
			}
			else {
				md.append(String.format(Locale.ROOT, "| %s | | | | | %s |%n", name, ratio.apply(row)));
			}
		}
		md.append('\n');
	}

	private static Optional<Row> find(List<Row> rows, String id) {
		return rows.stream().filter((row) -> row.id.equals(id)).findFirst();
	}

	/**
	 * How this starter compares with the row's library: its drain rate divided by theirs,
	 * or their p99 latency divided by its own.
	 */
	private static String oursComparedTo(List<Row> rows, Row row) {
		if (row.id.endsWith("-outbox")) {
			return "1.00";
		}
		if (row.kind.equals("peer-drain")) {
			return find(rows, "peer-drain-outbox")
				.map((ours) -> String.format(Locale.ROOT, "%.1fx the rate",
						ours.eventsPerSecond() / row.eventsPerSecond()))
				.orElse("");
		}
		return find(rows, "peer-latency-outbox").filter((ours) -> ours.p99 > 0)
			.map((ours) -> String.format(Locale.ROOT, "1/%.1f the p99", (double) row.p99 / ours.p99))
			.orElse("");
	}

	private static String ofRaw(List<Row> rows, Row row) {
		return rows.stream()
			.filter((each) -> each.name.startsWith("raw limit"))
			.findFirst()
			.map((raw) -> String.format(Locale.ROOT, "%.2f of raw", row.eventsPerSecond() / raw.eventsPerSecond()))
			.orElse("");
	}

	private static String p99OfRawLoop(List<Row> rows, Row row) {
		if (row.id.equals("latency-raw") || row.id.equals("latency-producer")) {
			return "";
		}
		return find(rows, "latency-raw").filter((raw) -> raw.p99 > 0)
			.map((raw) -> String.format(Locale.ROOT, "%.2fx", (double) row.p99 / raw.p99))
			.orElse("");
	}

	private static String ofSmallBacklog(List<Row> rows, Row row) {
		return find(rows, row.id.endsWith("-default") ? "scaling-small-default" : "scaling-small")
			.map((small) -> String.format(Locale.ROOT, "%.2f of 10k", row.eventsPerSecond() / small.eventsPerSecond()))
			.orElse("");
	}

	private static List<String[]> targets(List<Row> rows) {
		List<String[]> targets = new ArrayList<>();
		find(rows, "peer-drain-outbox").ifPresent((ours) -> {
			targets.add(target("drain ≥ 25,000 events/s (acks=all), Boot app with defaults",
					String.format(Locale.ROOT, "%,.0f events/s", ours.eventsPerSecond()),
					ours.eventsPerSecond() >= 25_000));
			find(rows, "peer-drain-modulith").ifPresent((modulith) -> {
				double ratio = ours.eventsPerSecond() / modulith.eventsPerSecond();
				targets.add(target("≥ 5x Spring Modulith on drain", String.format(Locale.ROOT, "%.1fx", ratio),
						ratio >= 5));
			});
			find(rows, "peer-drain-namastack").ifPresent((namastack) -> {
				double ratio = ours.eventsPerSecond() / namastack.eventsPerSecond();
				targets.add(target("≥ 2x namastack-outbox on drain", String.format(Locale.ROOT, "%.1fx", ratio),
						ratio >= 2));
			});
		});
		find(rows, "limits-app").ifPresent((app) -> find(rows, "raw").ifPresent((raw) -> {
			double ratio = app.eventsPerSecond() / raw.eventsPerSecond();
			targets.add(target("drain, Boot app with defaults, ≥ 0.9 of the raw loop (same runs)",
					String.format(Locale.ROOT, "%.2f of raw", ratio), ratio >= 0.9));
		}));
		find(rows, "peer-latency-outbox")
			.ifPresent((ours) -> targets.add(target("steady p99 commit → ack ≤ 50 ms at 2,000 events/s, Boot app",
					String.format(Locale.ROOT, "%.1f ms", ours.p99 / 1e6), ours.p99 <= 50_000_000L)));
		find(rows, "latency-one")
			.ifPresent((ours) -> targets.add(target("steady p99 commit → ack ≤ 10 ms at 2,000 events/s, one instance",
					String.format(Locale.ROOT, "%.1f ms%s", ours.p99 / 1e6, yardsticks(rows)),
					ours.p99 <= 10_000_000L)));
		find(rows, "latency-two_notified").ifPresent(
				(ours) -> targets.add(target("steady p99 commit → ack ≤ 30 ms at 2,000 events/s, across instances",
						String.format(Locale.ROOT, "%.1f ms", ours.p99 / 1e6), ours.p99 <= 30_000_000L)));
		captureTargets(rows, targets, "overhead-", "in the benchmark's process");
		captureTargets(rows, targets, "app-overhead-", "Boot app");
		for (String server : new String[] { "", "-default" }) {
			find(rows, "scaling-small" + server)
				.ifPresent((small) -> find(rows, "scaling-large" + server).ifPresent((large) -> {
					double ratio = large.eventsPerSecond() / small.eventsPerSecond();
					targets.add(target(
							"drain rate at " + String.format(Locale.ROOT, "%,d", large.events)
									+ " ≥ 0.9 of the 10k rate, "
									+ (server.isEmpty() ? "the machine's PostgreSQL (autovacuum off)"
											: "PostgreSQL with default settings"),
							String.format(Locale.ROOT, "%.2f of the 10k rate", ratio), ratio >= 0.9));
				}));
		}
		return targets;
	}

	/**
	 * The steady p99 of the raw loop and of the producer alone, when measured.
	 */
	private static String yardsticks(List<Row> rows) {
		List<String> measured = new ArrayList<>();
		find(rows, "latency-raw")
			.ifPresent((raw) -> measured.add(String.format(Locale.ROOT, "raw loop %.1f ms", raw.p99 / 1e6)));
		find(rows, "latency-producer").ifPresent(
				(producer) -> measured.add(String.format(Locale.ROOT, "producer alone %.1f ms", producer.p99 / 1e6)));
		return measured.isEmpty() ? "" : " (" + String.join(", ", measured) + ")";
	}

	/**
	 * Capture within 0.2x of the floor (a second plain row) for one event, and at most
	 * 0.1x more for each further event of the transaction.
	 */
	private static void captureTargets(List<Row> rows, List<String[]> targets, String prefix, String where) {
		find(rows, prefix + "1").ifPresent((one) -> find(rows, prefix + "floor").ifPresent((floor) -> {
			targets.add(target(
					"capture ≤ 0.2x above the floor, one event, " + where, String.format(Locale.ROOT,
							"%.2fx above (%.2fx vs %.2fx)", one.ratio - floor.ratio, one.ratio, floor.ratio),
					one.ratio - floor.ratio <= 0.2));
			find(rows, prefix + "5").ifPresent((five) -> {
				double further = (five.ratio - one.ratio) / 4;
				targets.add(target("each further event in the transaction ≤ 0.1x, " + where,
						String.format(Locale.ROOT, "%.2fx", further), further <= 0.1));
			});
		}));
	}

	private static String[] target(String target, String measured, boolean met) {
		return new String[] { target, measured, met ? "yes" : "**no**" };
	}

	static String svg(List<Row> rows) {
		List<Row> drains = rows.stream()
			.filter((row) -> row.kind.equals("drain") || row.kind.equals("peer-drain") || row.kind.equals("scaling"))
			.toList();
		double max = drains.stream().mapToDouble(Row::eventsPerSecond).max().orElse(1);
		int barHeight = 24;
		int width = 1000;
		int labelWidth = 470;
		int height = 40 + drains.size() * (barHeight + 10);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">%n",
				width, height));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(
				"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Drain rate, events/s (higher is better)</text>\n");
		int y = 40;
		for (Row row : drains) {
			double length = (width - labelWidth - 90) * row.eventsPerSecond() / max;
			boolean ours = row.name.startsWith("outbox");
			svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 17, escape(row.name)));
			svg.append(
					String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
							labelWidth, y, Math.max(length, 1), barHeight, ours ? "#2f6fb0" : "#9aa5b1"));
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%,.0f</text>%n", labelWidth + length + 6,
					y + 17, row.eventsPerSecond()));
			y += barHeight + 10;
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
