-- Inbox tables of the consuming side on MariaDB: the same schema as inbox-changelog.xml.
-- Run by the starter when Liquibase is not on the class path (outbox.schema.mode), or copied
-- into a migration of your own (Flyway: db/migration/V…__inbox.sql). Tables and indexes are
-- named after the inbox table, outbox_inbox: with another outbox.inbox.table-name, replace
-- outbox_inbox everywhere (the starter does so itself). Consumers, event ids, topics and keys
-- compare byte for byte (binary NO PAD collation), as on PostgreSQL and H2.

CREATE TABLE IF NOT EXISTS outbox_inbox (
	consumer VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	event_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	event_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
	event_sequence BIGINT,
	processed_at DATETIME(6) NOT NULL,
	CONSTRAINT outbox_inbox_pk PRIMARY KEY (consumer, event_id),
	INDEX outbox_inbox_processed_idx (processed_at)
);

CREATE TABLE IF NOT EXISTS outbox_inbox_sequence (
	consumer VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	topic VARCHAR(249) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	event_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
	last_sequence BIGINT NOT NULL,
	CONSTRAINT outbox_inbox_sequence_pk PRIMARY KEY (consumer, topic, event_key)
);
