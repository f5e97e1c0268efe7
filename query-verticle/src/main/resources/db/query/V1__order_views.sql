-- The query side: one row per order, its projection state and the columns to find it by.
create table order_views (
  order_id    uuid        primary key,
  customer_id text,
  store_id    text,
  rider_id    text,
  status      text,
  state       jsonb       not null,
  placed_at   timestamptz,
  updated_at  timestamptz not null default now()
);

create index order_views_customer on order_views (customer_id, placed_at desc);
create index order_views_store on order_views (store_id, placed_at desc);
create index order_views_rider on order_views (rider_id, placed_at desc);
