-- Outbox tables of the embedded relay (outbox.table-layout=relay) on MariaDB: the same
-- schema as outbox-changelog.xml. Run by the starter when Liquibase is not on the class path
-- (outbox.schema.mode), or copied into a migration of your own (Flyway: db/migration/V…__outbox.sql).
-- Tables and indexes are named after the event table, outbox_event: with another
-- outbox.table-name, replace outbox_event everywhere (the starter does so itself).
-- Topics, keys and event ids compare byte for byte (binary NO PAD collation), as on
-- PostgreSQL and H2: 'Key', 'key' and 'key ' are three keys with three sequences.

CREATE TABLE IF NOT EXISTS outbox_event (
	id BIGINT AUTO_INCREMENT NOT NULL,
	event_id VARCHAR(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	lane INT NOT NULL,
	topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	event_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
	event_sequence BIGINT,
	event_type VARCHAR(255) NOT NULL,
	payload LONGBLOB NOT NULL,
	headers TEXT,
	created_at DATETIME(6) NOT NULL,
	attempts INT DEFAULT 0 NOT NULL,
	next_attempt_at DATETIME(6),
	last_error VARCHAR(2000),
	dead_at DATETIME(6),
	published_at DATETIME(6),
	CONSTRAINT outbox_event_pk PRIMARY KEY (id),
	INDEX outbox_event_retry_idx (next_attempt_at),
	INDEX outbox_event_dead_idx (dead_at),
	INDEX outbox_event_published_idx (published_at)
);

CREATE TABLE IF NOT EXISTS outbox_event_sequence (
	topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	event_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	last_sequence BIGINT NOT NULL,
	CONSTRAINT outbox_event_sequence_pk PRIMARY KEY (topic, event_key)
);

CREATE TABLE IF NOT EXISTS outbox_event_lane (
	lane INT NOT NULL,
	owner VARCHAR(255),
	lease_until DATETIME(6),
	CONSTRAINT outbox_event_lane_pk PRIMARY KEY (lane)
);

CREATE TABLE IF NOT EXISTS outbox_event_instance (
	instance_id VARCHAR(255) NOT NULL,
	heartbeat_at DATETIME(6) NOT NULL,
	CONSTRAINT outbox_event_instance_pk PRIMARY KEY (instance_id)
);
