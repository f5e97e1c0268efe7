-- Each change of a store order bumps its version: live subscribers (the store WebSocket) compare it
-- to what they were sent, so a late or repeated push never rolls a store page back.
alter table store_orders add column version bigint not null default 1;

-- The store's live page starts from its open orders.
create index store_orders_open on store_orders (store_id, placed_at desc)
  where status in ('NEW', 'ACCEPTED', 'COOKING', 'COOKED');
