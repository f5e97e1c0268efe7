-- Notify context: what it needs to write messages, which status it last told the customer
-- about, and every notification with its outcome.
create table orders (
  order_id        uuid        primary key,
  customer_id     text,
  phone           text,
  store_id        text,
  store_name      text,
  items           jsonb,
  total           integer,
  placed_at       timestamptz,
  facts           jsonb       not null default '{}',
  eta_minutes     integer,
  reason          text,
  notified_status text
);

create table notifications (
  notification_id uuid        primary key,
  order_id        uuid        not null,
  template        text        not null,
  status          text        not null,
  requested_at    timestamptz not null default now(),
  outcome_at      timestamptz,
  error           text
);

create index notifications_order on notifications (order_id);
