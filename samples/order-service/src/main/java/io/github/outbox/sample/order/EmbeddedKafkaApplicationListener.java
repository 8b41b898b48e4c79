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

package io.github.outbox.sample.order;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.utils.Exit;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts an in-process Kafka broker before the application context and points
 * {@code spring.kafka.bootstrap-servers} to it, so that the sample runs without an
 * installed Kafka. Does nothing when {@code spring.kafka.bootstrap-servers} is set or
 * {@code sample.embedded-kafka} is {@code false}. The broker is stopped when the context
 * closes, after the beans that use it.
 * <p>
 * Registered in {@code META-INF/spring.factories}.
 *
 * @author Outbox contributors
 */
public class EmbeddedKafkaApplicationListener implements SmartApplicationListener {

	private static final Log logger = LogFactory.getLog(EmbeddedKafkaApplicationListener.class);

	private static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

	private static final String BEAN_NAME = "embeddedKafkaBroker";

	private @Nullable EmbeddedKafkaKraftBroker broker;

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationFailedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent environmentPrepared) {
			startBroker(environmentPrepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent applicationPrepared) {
			handOverBroker(applicationPrepared.getApplicationContext().getBeanFactory());
		}
		else if (event instanceof ApplicationFailedEvent) {
			stopBroker();
		}
	}

	private void startBroker(ConfigurableEnvironment environment) {
		if (!environment.getProperty("sample.embedded-kafka", Boolean.class, true)
				|| environment.containsProperty(BOOTSTRAP_SERVERS)) {
			return;
		}
		String topic = environment.getProperty("sample.topic", "orders");
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3, topic);
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		start(broker);
		this.broker = broker;
		String bootstrapServers = broker.getBrokersAsString();
		environment.getPropertySources()
			.addLast(new MapPropertySource("embeddedKafka", Map.of(BOOTSTRAP_SERVERS, bootstrapServers)));
		logger.info("Started embedded Kafka broker at %s with topic '%s'".formatted(bootstrapServers, topic));
	}

	/**
	 * Start the broker without the JVM shutdown hooks that Kafka's test kit registers to
	 * delete the broker's directories: on Ctrl-C they would run concurrently with the
	 * closing of the context and pull the directories from under the running broker. The
	 * broker deletes them itself when it is destroyed.
	 */
	private static void start(EmbeddedKafkaKraftBroker broker) {
		Exit.setShutdownHookAdder((name, runnable) -> {
		});
		try {
			broker.afterPropertiesSet();
		}
		finally {
			Exit.resetShutdownHookAdder();
		}
	}

	/**
	 * Make the broker a singleton of the context, registered before any other bean so
	 * that it is destroyed after the Kafka consumers and producers.
	 */
	private void handOverBroker(ConfigurableListableBeanFactory beanFactory) {
		EmbeddedKafkaKraftBroker broker = this.broker;
		if (broker == null) {
			return;
		}
		beanFactory.registerSingleton(BEAN_NAME, broker);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(BEAN_NAME, broker);
			this.broker = null;
		}
	}

	private void stopBroker() {
		EmbeddedKafkaKraftBroker broker = this.broker;
		if (broker != null) {
			this.broker = null;
			broker.destroy();
		}
	}

	@Override
	public int getOrder() {
		// After the config data (application.yml) is loaded and logging is initialized
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
