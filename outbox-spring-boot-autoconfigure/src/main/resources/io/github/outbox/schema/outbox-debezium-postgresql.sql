-- Outbox tables in the layout of Debezium's outbox event router (outbox.table-layout=debezium)
-- on PostgreSQL: the same schema as outbox-debezium-changelog.xml. Run by the starter when
-- Liquibase is not on the class path (outbox.schema.mode), or copied into a migration of your
-- own (Flyway: db/migration/V…__outbox.sql). Tables and indexes are named after the event
-- table, outbox_event: with another outbox.table-name, replace outbox_event everywhere (the
-- starter does so itself). With outbox.retention.published, rows are kept and purged by age:
-- add outbox-debezium-created-index.sql. The sequence table is the embedded relay's, kept
-- when it exists so that the sequences of the keys go on after a switch.

CREATE TABLE IF NOT EXISTS outbox_event (
	id UUID NOT NULL,
	ce_specversion VARCHAR(10) DEFAULT '1.0' NOT NULL,
	aggregatetype VARCHAR(255) NOT NULL,
	aggregateid VARCHAR(255),
	type VARCHAR(255) NOT NULL,
	payload JSONB,
	topic VARCHAR(249) NOT NULL,
	ce_source VARCHAR(255) NOT NULL,
	ce_time VARCHAR(40) NOT NULL,
	ce_sequence BIGINT,
	content_type VARCHAR(255),
	traceparent VARCHAR(55),
	tracingspancontext VARCHAR(512),
	created_at TIMESTAMP(6) NOT NULL,
	CONSTRAINT outbox_event_pk PRIMARY KEY (id)
) WITH (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.02);

CREATE TABLE IF NOT EXISTS outbox_event_sequence (
	topic VARCHAR(249) NOT NULL,
	event_key VARCHAR(255) NOT NULL,
	last_sequence BIGINT NOT NULL,
	CONSTRAINT outbox_event_sequence_pk PRIMARY KEY (topic, event_key)
);
