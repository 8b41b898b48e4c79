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
import java.util.List;
import java.util.Locale;

import io.github.outbox.benchmarks.Benchmarks.Row;

/**
 * Writes the results as Markdown and as an SVG bar chart of the drain rates.
 */
final class Report {

	private Report() {
	}

	static String markdown(List<Row> rows, int events, int runs) {
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Produced by the benchmark module, not written by hand:\n\n```shell\n")
			.append("./mvnw -q -pl benchmarks -am spring-boot:run\n```\n\n");
		md.append("Options (after `-Dspring-boot.run.arguments=`): `--events=100000`, `--runs=3`, ")
			.append("`--steady-seconds=60`, `--rate=2000`, `--large=1000000` (second backlog for the scaling figure), ")
			.append("`--jdbc=jdbc:postgresql://127.0.0.1:5432/`.\n\n");
		md.append("Run of ").append(LocalDate.now()).append(" on this machine: ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, PostgreSQL 15 on the same machine, Kafka ")
			.append("in-process (KRaft, one broker), Java ").append(System.getProperty("java.version"))
			.append(". Every event is ").append("500 bytes over 1,000 keys; the producers use acks=all with idempotence. ")
			.append("Drain figures are the median of ").append(runs).append(" runs of ").append(events)
			.append(" events already in the table, from the relay's start to an empty table.\n\n");
		md.append("| benchmark | events/s | p50 | p99 | max | ratio |\n|---|---:|---:|---:|---:|---:|\n");
		Double raw = rows.stream()
			.filter((row) -> row.name.startsWith("raw limit"))
			.map(Row::eventsPerSecond)
			.findFirst()
			.orElse(null);
		for (Row row : rows) {
			switch (row.kind) {
				case "drain" -> md.append(String.format(Locale.ROOT, "| %s | %,.0f | | | | %s |%n", row.name,
						row.eventsPerSecond(), (raw != null) ? String.format(Locale.ROOT, "%.2f of raw", row.eventsPerSecond() / raw) : ""));
				case "latency" -> md.append(String.format(Locale.ROOT, "| %s | | %.1f ms | %.1f ms | %.1f ms | |%n",
						row.name, row.p50 / 1e6, row.p99 / 1e6, row.max / 1e6));
				default -> md.append(String.format(Locale.ROOT, "| %s (%s) | | | | | %.2fx |%n", row.name, row.detail,
						row.ratio));
			}
		}
		md.append("\n![drain rates](benchmarks.svg)\n\n");
		md.append("""
				Not measured yet: Spring Modulith's event publication registry and namastack-outbox side by side in
				the same run (see the open benchmark issue), and commit → ack latency when the writer and the lane
				owner are different instances.
				""");
		return md.toString();
	}

	static String svg(List<Row> rows) {
		List<Row> drains = rows.stream().filter((row) -> row.kind.equals("drain")).toList();
		double max = drains.stream().mapToDouble(Row::eventsPerSecond).max().orElse(1);
		int barHeight = 28;
		int width = 900;
		int labelWidth = 360;
		int height = 40 + drains.size() * (barHeight + 12);
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"13\">%n",
				width, height));
		svg.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Drain rate, events/s (higher is better)</text>\n");
		int y = 40;
		for (Row row : drains) {
			double length = (width - labelWidth - 110) * row.eventsPerSecond() / max;
			svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 19, escape(row.name)));
			svg.append(String.format(Locale.ROOT,
					"<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", labelWidth, y, length, barHeight,
					row.name.startsWith("outbox") ? "#2f6fb0" : "#9aa5b1"));
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%,.0f</text>%n", labelWidth + length + 6, y + 19,
					row.eventsPerSecond()));
			y += barHeight + 12;
		}
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
