-- The event type travels as the record header `ce_type` (the CloudEvents Kafka binding's name), so
-- a consumer can pass over the types it does not handle without parsing the record.
alter table outbox add column event_type text;
