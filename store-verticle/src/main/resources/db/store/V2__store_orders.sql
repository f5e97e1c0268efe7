-- The orders a store works on, from order.placed onwards. The store is the authority on cooking:
-- every owner action and every cancel/modify verdict is one row update under a row lock.
create table store_orders (
  order_id         uuid        primary key,
  store_id         text        not null references stores (store_id),
  customer_id      text        not null,
  items            jsonb       not null,
  total            integer     not null,
  delivery_fee     integer     not null,
  express          boolean     not null,
  delivery_address jsonb       not null,
  status           text        not null,
  reject_reason    text,
  thanked          boolean     not null default false,
  placed_at        timestamptz not null,
  updated_at       timestamptz not null
);

create index store_orders_by_store on store_orders (store_id, placed_at desc);
