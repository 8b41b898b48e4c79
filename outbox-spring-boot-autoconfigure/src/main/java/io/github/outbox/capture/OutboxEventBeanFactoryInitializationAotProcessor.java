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

import java.util.ArrayList;
import java.util.List;

import io.github.outbox.OutboxEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * {@link BeanFactoryInitializationAotProcessor} that registers the reflection hints of
 * the {@link OutboxEvent @OutboxEvent} types of the application (see
 * {@link OutboxEventRuntimeHints}). Events are not beans: they are found where Spring
 * Boot looks for the application's entities, in the auto-configuration packages (the
 * package of the {@code @SpringBootApplication} class and those below it). Contributes
 * nothing when the outbox is not configured.
 * <p>
 * Registered in {@code META-INF/spring/aot.factories}.
 *
 * @author Outbox contributors
 */
class OutboxEventBeanFactoryInitializationAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		if (beanFactory.getBeanNamesForType(OutboxEventDescriptors.class, false, false).length == 0
				|| !AutoConfigurationPackages.has(beanFactory)) {
			return null;
		}
		List<Class<?>> eventTypes = findEventTypes(AutoConfigurationPackages.get(beanFactory),
				beanFactory.getBeanClassLoader());
		if (eventTypes.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			OutboxEventRuntimeHints hints = new OutboxEventRuntimeHints();
			eventTypes.forEach((type) -> hints.register(generationContext.getRuntimeHints().reflection(), type));
		};
	}

	private static List<Class<?>> findEventTypes(List<String> packages, @Nullable ClassLoader classLoader) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(AnnotatedBeanDefinition beanDefinition) {
				return beanDefinition.getMetadata().isIndependent() && !beanDefinition.getMetadata().isAnnotation();
			}

		};
		scanner.setResourceLoader(new DefaultResourceLoader(classLoader));
		// an event class may carry the annotation itself or through an interface it
		// implements
		scanner.addIncludeFilter(new AnnotationTypeFilter(OutboxEvent.class, true, true));
		List<Class<?>> eventTypes = new ArrayList<>();
		for (String basePackage : packages) {
			for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
				String className = candidate.getBeanClassName();
				if (className != null) {
					eventTypes.add(ClassUtils.resolveClassName(className, classLoader));
				}
			}
		}
		return eventTypes;
	}

}
