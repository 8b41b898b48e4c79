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

package io.github.outbox.autoconfigure;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code outbox.schema.mode} (or the deprecated
 * {@code outbox.schema.initialize}) switches the creation of the tables off. Whether an
 * {@code embedded} mode applies to the DataSource is decided by the initializers, once
 * the DataSource exists.
 *
 * @author Outbox contributors
 */
class OnSchemaInitializationCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Outbox schema initialization");
		DatabaseInitializationMode mode = Binder.get(context.getEnvironment())
			.bind("outbox.schema", OutboxProperties.Schema.class)
			.orElseGet(OutboxProperties.Schema::new)
			.determineMode();
		if (mode == DatabaseInitializationMode.NEVER) {
			return ConditionOutcome.noMatch(message.because("mode is 'never'"));
		}
		String value = mode.name().toLowerCase(Locale.ROOT);
		return ConditionOutcome.match(message.because("mode is '" + value + "'"));
	}

}
