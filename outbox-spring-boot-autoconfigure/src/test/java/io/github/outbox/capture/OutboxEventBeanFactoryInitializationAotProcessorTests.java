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

package io.github.outbox.capture;

import io.github.outbox.capture.scan.ScannedEvents;
import io.github.outbox.capture.scan.ScannedEvents.AuditedEvent;
import io.github.outbox.capture.scan.ScannedEvents.NotAnEvent;
import io.github.outbox.capture.scan.ScannedEvents.Order;
import io.github.outbox.capture.scan.ScannedEvents.OrderShipped;
import io.github.outbox.capture.scan.ScannedEvents.UserDeleted;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.aot.BeanFactoryInitializationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link OutboxEventBeanFactoryInitializationAotProcessor}.
 */
class OutboxEventBeanFactoryInitializationAotProcessorTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	@Test
	void eventTypesOfTheAutoConfigurationPackagesGetTheirHints() {
		this.beanFactory.registerBeanDefinition("outboxEventDescriptors",
				new RootBeanDefinition(OutboxEventDescriptors.class));
		AutoConfigurationPackages.register(this.beanFactory, ScannedEvents.class.getPackageName());
		RuntimeHints hints = applyContribution();
		assertThat(this.reflection.onMethodInvocation(OrderShipped.class, "order")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(Order.class, "id")).accepts(hints);
		assertThat(this.reflection.onMethodInvocation(UserDeleted.class, "user")).accepts(hints);
		assertThat(this.reflection.onType(AuditedEvent.class)).accepts(hints);
		assertThat(this.reflection.onType(NotAnEvent.class)).rejects(hints);
	}

	@Test
	void withoutTheOutboxNothingIsContributed() {
		AutoConfigurationPackages.register(this.beanFactory, ScannedEvents.class.getPackageName());
		assertThat(new OutboxEventBeanFactoryInitializationAotProcessor().processAheadOfTime(this.beanFactory))
			.isNull();
	}

	@Test
	void withoutAutoConfigurationPackagesNothingIsContributed() {
		this.beanFactory.registerBeanDefinition("outboxEventDescriptors",
				new RootBeanDefinition(OutboxEventDescriptors.class));
		assertThat(new OutboxEventBeanFactoryInitializationAotProcessor().processAheadOfTime(this.beanFactory))
			.isNull();
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(BeanFactoryInitializationAotProcessor.class))
			.hasAtLeastOneElementOfType(OutboxEventBeanFactoryInitializationAotProcessor.class);
	}

	private RuntimeHints applyContribution() {
		BeanFactoryInitializationAotContribution contribution = new OutboxEventBeanFactoryInitializationAotProcessor()
			.processAheadOfTime(this.beanFactory);
		assertThat(contribution).isNotNull();
		RuntimeHints hints = new RuntimeHints();
		GenerationContext generationContext = mock(GenerationContext.class);
		given(generationContext.getRuntimeHints()).willReturn(hints);
		contribution.applyTo(generationContext, mock(BeanFactoryInitializationCode.class));
		return hints;
	}

}
