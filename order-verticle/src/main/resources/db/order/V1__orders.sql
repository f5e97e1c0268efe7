-- Order context: orders, and its replica of the store catalogue (filled from the `catalog` topic).
create table orders (
  order_id         uuid        primary key,
  customer_id      text        not null,
  store_id         text        not null,
  store_name       text        not null,
  items            jsonb       not null,
  subtotal         integer     not null,
  delivery_fee     integer     not null,
  total            integer     not null,
  express          boolean     not null,
  delivery_address jsonb       not null,
  status           text        not null,
  payment_id       uuid        not null,
  idempotency_key  text        not null,
  request_hash     text        not null,
  created_at       timestamptz not null,
  updated_at       timestamptz not null,
  unique (customer_id, idempotency_key)
);

create index orders_customer on orders (customer_id, created_at desc);

create table catalog_stores (
  store_id   text             primary key,
  name       text             not null,
  lat        double precision not null,
  lng        double precision not null,
  open       boolean          not null,
  as_of      timestamptz      not null
);

create table catalog_items (
  store_id text    not null references catalog_stores (store_id) on delete cascade,
  menu_id  text    not null,
  name     text    not null,
  price    integer not null,
  primary key (store_id, menu_id)
);

create index catalog_items_menu on catalog_items (menu_id);
