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

package io.github.outbox.sample.pair;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.outbox.sample.order.OrderServiceApplication;
import io.github.outbox.sample.payment.PaymentListener;
import io.github.outbox.sample.payment.PaymentRepository;
import io.github.outbox.sample.payment.PaymentRepository.Payment;
import io.github.outbox.sample.payment.PaymentServiceApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts the order service (with its in-process Kafka broker), then the payment service
 * on the same broker. The order service places a few orders over HTTP; their events
 * travel through the outbox to Kafka and the payment service records one payment each
 * through its inbox. Then the payment service reads the topic again from the beginning,
 * as after an offset reset, and the inbox skips every redelivered event. The run ends
 * with a summary, and with exit code 0 if every order was paid exactly once and every
 * redelivery was skipped.
 */
public final class SamplePair {

	private static final Log logger = LogFactory.getLog(SamplePair.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private SamplePair() {
	}

	public static void main(String[] args) throws InterruptedException {
		Summary summary = run(args);
		if (summary.exit()) {
			System.exit(summary.ok() ? 0 : 1);
		}
	}

	/**
	 * Run both services, the orders and the replay, and close them unless
	 * {@code sample.pair.exit=false}.
	 * @param args the command line arguments of both services
	 * @return the summary of the run
	 * @throws InterruptedException if interrupted while waiting
	 */
	public static Summary run(String... args) throws InterruptedException {
		// both services log to the same console: the class names tell them apart
		String[] arguments = Stream.concat(Stream.of(args), Stream.of("--logging.include-application-name=false"))
			.toArray(String[]::new);
		ConfigurableApplicationContext orders = SpringApplication.run(OrderServiceApplication.class, arguments);
		ConfigurableApplicationContext payments = PaymentServiceApplication.run(arguments);
		boolean exit = orders.getEnvironment().getProperty("sample.pair.exit", Boolean.class, true);
		int placed = JdbcClient.create(orders.getBean(DataSource.class))
			.sql("SELECT COUNT(*) FROM orders")
			.query(Integer.class)
			.single();
		PaymentRepository paymentRepository = payments.getBean(PaymentRepository.class);
		MeterRegistry registry = payments.getBean(MeterRegistry.class);
		boolean paid = await(() -> paymentRepository.findAll().size() >= placed);
		payments.getBean(PaymentListener.class).replay();
		await(() -> counter(registry, "outbox.inbox.duplicates") >= placed);
		List<Payment> made = paymentRepository.findAll();
		Summary summary = new Summary(placed,
				(long) counter(orders.getBean(MeterRegistry.class), "outbox.events.published"), made,
				(long) counter(registry, "outbox.inbox.processed"), (long) counter(registry, "outbox.inbox.duplicates"),
				exit);
		logger.info(("Sample pair: %d orders placed, %d events relayed by the order service, %d payments made, "
				+ "%d events processed by the payment service's inbox, %d redeliveries skipped as duplicates")
			.formatted(summary.placed(), summary.relayed(), made.size(), summary.processed(), summary.duplicates()));
		made.forEach((payment) -> logger.info("Payment for order %s (%s) in trace %s".formatted(payment.orderId(),
				payment.amount(), payment.traceId())));
		if (!paid) {
			logger.error("Not every order was paid within " + TIMEOUT);
		}
		if (exit) {
			SpringApplication.exit(payments);
			SpringApplication.exit(orders);
		}
		return summary;
	}

	/**
	 * Figures of a run.
	 *
	 * @param placed orders placed
	 * @param relayed events the order service's relay published
	 * @param payments payments made
	 * @param processed events the payment service's inbox processed
	 * @param duplicates redeliveries the inbox skipped
	 * @param exit whether the services were closed
	 */
	public record Summary(int placed, long relayed, List<Payment> payments, long processed, long duplicates,
			boolean exit) {

		/**
		 * Whether every order was paid exactly once, in its own trace, and every
		 * redelivery was skipped.
		 * @return {@code true} if the run went as it should
		 */
		public boolean ok() {
			Set<String> traces = this.payments.stream().map(Payment::traceId).collect(Collectors.toSet());
			return this.placed > 0 && this.payments.size() == this.placed && this.processed == this.placed
					&& this.duplicates == this.placed && traces.size() == this.placed;
		}

	}

	private static double counter(MeterRegistry registry, String name) {
		return registry.find(name).counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private static boolean await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(100);
		}
		return true;
	}

}
