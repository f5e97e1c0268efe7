-- Each change of a delivery bumps its version: live subscribers (the rider WebSocket) compare it
-- to what they were sent, so a late or repeated push never rolls a rider's screen back.
alter table deliveries add column version bigint not null default 1;
