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

package io.github.outbox.sample.payment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The payment service. Its configuration is {@code payment-service.yml}, so that it can
 * run next to the order service in one JVM.
 */
@SpringBootApplication
public class PaymentServiceApplication {

	/**
	 * Name of the configuration files of the payment service.
	 */
	public static final String CONFIG_NAME = "--spring.config.name=payment-service";

	public static void main(String[] args) {
		run(args);
	}

	/**
	 * Start the payment service.
	 * @param args the command line arguments
	 * @return the application context
	 */
	public static ConfigurableApplicationContext run(String... args) {
		List<String> arguments = new ArrayList<>(Arrays.asList(args));
		arguments.add(0, CONFIG_NAME);
		return SpringApplication.run(PaymentServiceApplication.class, arguments.toArray(String[]::new));
	}

}
