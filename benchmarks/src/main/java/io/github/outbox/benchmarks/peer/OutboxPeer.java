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

import java.util.List;

import io.github.outbox.relay.OutboxRelay;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * This starter with its defaults: events published with the ordinary
 * {@link ApplicationEventPublisher} in a transaction.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class OutboxPeer {

	static final String TOPIC = "bench-outbox";

	@Bean
	Peer peer(ObjectProvider<OutboxRelay> relays, ApplicationEventPublisher publisher, TransactionTemplate transactions,
			JdbcTemplate jdbc) {
		// no relay in a writer instance (outbox.relay.enabled=false): only capture is
		// measured there
		OutboxRelay relay = relays.getIfAvailable();
		return new Peer() {

			@Override
			public void pause() {
				Assert.state(relay != null, "No relay in this instance");
				relay.stop();
			}

			@Override
			public void resume() {
				Assert.state(relay != null, "No relay in this instance");
				relay.start();
			}

			@Override
			public void publish(List<BenchOrderPlaced> events) {
				transactions.executeWithoutResult((status) -> events.forEach(publisher::publishEvent));
			}

			@Override
			public boolean relays() {
				return relay != null;
			}

			@Override
			public long pending() {
				return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event", Long.class);
			}

		};
	}

}
