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

import java.util.concurrent.CountDownLatch;

import io.github.outbox.integration.OutboxTestApplication;
import io.github.outbox.relay.OutboxRelay;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application instance with a relay, in a JVM of its own so that a test can kill it
 * with {@code kill -9}. Its configuration comes as {@code --name=value} arguments.
 */
public final class RelayProcess {

	private RelayProcess() {
	}

	public static void main(String[] args) throws InterruptedException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OutboxTestApplication.class)
			.web(WebApplicationType.NONE)
			.run(args);
		System.out.println("Relay " + context.getBean(OutboxRelay.class).getInstanceId() + " started");
		new CountDownLatch(1).await();
	}

}
