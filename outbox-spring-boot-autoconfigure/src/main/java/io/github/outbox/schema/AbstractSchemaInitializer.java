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

import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.util.Assert;

/**
 * Base of the beans that create the starter's tables at startup, with a Liquibase
 * changelog or with SQL scripts, when their {@link DatabaseInitializationMode} says so
 * for the DataSource, as Spring Boot decides it for its own schema scripts.
 *
 * @author Outbox contributors
 */
public abstract class AbstractSchemaInitializer implements InitializingBean {

	private final DataSource dataSource;

	private DatabaseInitializationMode mode = DatabaseInitializationMode.ALWAYS;

	/**
	 * Create an instance.
	 * @param dataSource the data source of the tables
	 */
	protected AbstractSchemaInitializer(DataSource dataSource) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		this.dataSource = dataSource;
	}

	/**
	 * Set when to create the tables: {@code ALWAYS} (the default), {@code EMBEDDED} (only
	 * in an embedded database) or {@code NEVER}.
	 * @param mode the mode
	 */
	public void setMode(DatabaseInitializationMode mode) {
		Assert.notNull(mode, "'mode' must not be null");
		this.mode = mode;
	}

	protected final DataSource getDataSource() {
		return this.dataSource;
	}

	@Override
	public final void afterPropertiesSet() throws Exception {
		boolean enabled = switch (this.mode) {
			case ALWAYS -> true;
			case EMBEDDED -> EmbeddedDatabaseConnection.isEmbedded(this.dataSource);
			case NEVER -> false;
		};
		if (enabled) {
			initialize();
		}
	}

	/**
	 * Create or update the tables.
	 * @throws Exception if they could not be created
	 */
	protected abstract void initialize() throws Exception;

}
