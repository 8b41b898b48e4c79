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
package io.github.outbox.schema;

import java.util.Set;

import io.github.outbox.relay.OutboxRelay;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Makes the schema initializers ({@link AbstractSchemaInitializer}) and the
 * {@link OutboxRelay} wait for the application's own database initialization (Flyway,
 * Liquibase, SQL scripts). The outbox tables are thus created after the application's
 * migrations, which Flyway needs: it refuses to migrate a schema that is not empty on its
 * first run.
 *
 * @author Outbox contributors
 */
public class OutboxDependsOnDatabaseInitializationDetector
		extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

	@Override
	protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
		return Set.of(AbstractSchemaInitializer.class, OutboxRelay.class);
	}

}
