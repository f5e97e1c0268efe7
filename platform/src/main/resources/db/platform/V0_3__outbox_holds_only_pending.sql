-- The relay deletes what it has sent instead of marking it: a sent event's row was written twice
-- (payload and all) for nothing, which was most of the write-ahead log an order cost. The outbox
-- now holds only what is still to send.
delete from outbox where sent_at is not null;
drop index outbox_pending;
alter table outbox drop column sent_at;
