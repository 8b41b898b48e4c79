-- Inbox tables of the consuming side on PostgreSQL: the same schema as inbox-changelog.xml.
-- Run by the starter when Liquibase is not on the class path (outbox.schema.mode), or copied
-- into a migration of your own (Flyway: db/migration/V…__inbox.sql). Tables and indexes are
-- named after the inbox table, outbox_inbox: with another outbox.inbox.table-name, replace
-- outbox_inbox everywhere (the starter does so itself).

CREATE TABLE IF NOT EXISTS outbox_inbox (
	consumer VARCHAR(255) NOT NULL,
	event_id VARCHAR(255) NOT NULL,
	topic VARCHAR(249) NOT NULL,
	event_key VARCHAR(255),
	event_sequence BIGINT,
	processed_at TIMESTAMP(6) NOT NULL,
	CONSTRAINT outbox_inbox_pk PRIMARY KEY (consumer, event_id)
);

CREATE INDEX IF NOT EXISTS outbox_inbox_processed_idx ON outbox_inbox (processed_at);

CREATE TABLE IF NOT EXISTS outbox_inbox_sequence (
	consumer VARCHAR(255) NOT NULL,
	topic VARCHAR(249) NOT NULL,
	event_key VARCHAR(255) NOT NULL,
	last_sequence BIGINT NOT NULL,
	CONSTRAINT outbox_inbox_sequence_pk PRIMARY KEY (consumer, topic, event_key)
);
