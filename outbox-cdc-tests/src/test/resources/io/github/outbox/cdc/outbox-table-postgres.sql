-- The outbox table in the layout of Debezium's outbox event router (outbox.table-layout=debezium; the starter creates it):
-- the columns the router reads by default, plus the starter's CloudEvents attributes as
-- columns the router places into Kafka headers (table.fields.additional.placement).
CREATE TABLE outbox_event (
	id uuid PRIMARY KEY,                  -- ce_id
	ce_specversion varchar(10) NOT NULL DEFAULT '1.0',
	aggregatetype varchar(255) NOT NULL,  -- routes the reference convention: order -> order.events
	aggregateid varchar(255),             -- Kafka record key
	type varchar(255) NOT NULL,           -- ce_type
	payload jsonb,                        -- Kafka record value
	topic varchar(249) NOT NULL,          -- routes the exact topic
	ce_source varchar(255) NOT NULL,
	ce_time varchar(40) NOT NULL,         -- RFC 3339 text, sent as is
	ce_sequence bigint,                   -- per topic and key, assigned at capture
	content_type varchar(255),            -- header content-type
	traceparent varchar(55),              -- W3C trace context of the publishing span
	tracingspancontext varchar(512),      -- the same as java.util.Properties, read by Debezium's tracing
	created_at timestamp(6) NOT NULL      -- UTC; purges rows kept by outbox.retention.published
);
