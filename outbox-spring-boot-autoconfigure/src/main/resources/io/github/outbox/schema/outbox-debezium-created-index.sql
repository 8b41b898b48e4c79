-- Index of the Debezium layout's event table for outbox.retention.published: rows are kept
-- and purged by age. Same on every database; named after the event table, outbox_event.

CREATE INDEX outbox_event_created_idx ON outbox_event (created_at);
