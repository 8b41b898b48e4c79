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

package io.github.outbox.sample.debezium;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogicalReplicationPostgres}.
 */
class LogicalReplicationPostgresTests {

	private static final Logger logger = LoggerFactory.getLogger(LogicalReplicationPostgresTests.class);

	@Test
	void startsALogicalReplicationClusterOnItsOwnPortAndRemovesItOnClose() throws Exception {
		Path data;
		try (LogicalReplicationPostgres postgres = LogicalReplicationPostgres.start()) {
			logger.info("PostgreSQL cluster on port {} started in {} ms", postgres.port(),
					postgres.startupTime().toMillis());
			assertThat(postgres.port()).isNotEqualTo(5432);
			try (Connection connection = postgres.connect("postgres");
					Statement statement = connection.createStatement();
					ResultSet settings = statement.executeQuery("SELECT current_setting('wal_level'), "
							+ "current_setting('port'), current_setting('data_directory')")) {
				assertThat(settings.next()).isTrue();
				assertThat(settings.getString(1)).isEqualTo("logical");
				assertThat(settings.getInt(2)).isEqualTo(postgres.port());
				data = Path.of(settings.getString(3));
			}
			assertThat(data).exists();
		}
		assertThat(Files.exists(data)).isFalse();
	}

}
