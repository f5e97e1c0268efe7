-- Rider context: one delivery per order, opened when cooking starts.
create table deliveries (
  order_id         uuid             primary key,
  store_id         text             not null,
  store_name       text             not null,
  store_lat        double precision not null,
  store_lng        double precision not null,
  customer_id      text             not null,
  delivery_address jsonb            not null,
  express          boolean          not null,
  fee              integer          not null,
  status           text             not null,
  cooked           boolean          not null default false,
  rider_id         text,
  opened_at        timestamptz      not null,
  updated_at       timestamptz      not null
);

create index deliveries_open on deliveries (opened_at) where status = 'OPEN';
create index deliveries_rider on deliveries (rider_id, updated_at desc);
