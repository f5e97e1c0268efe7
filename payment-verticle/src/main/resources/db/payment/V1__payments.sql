-- Payment context: one authorization per order (the order id makes retries idempotent) and its refunds.
create table payments (
  payment_id  uuid        primary key,
  order_id    uuid        not null unique,
  customer_id text        not null,
  amount      integer     not null check (amount >= 0),
  refunded    integer     not null default 0 check (refunded >= 0 and refunded <= amount),
  -- AUTHORIZED, or VOIDED: the order was never created (a tombstone when nothing was authorized)
  status      text        not null,
  card_last4  text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table refunds (
  refund_id  uuid        primary key,
  payment_id uuid        not null references payments (payment_id),
  order_id   uuid        not null,
  amount     integer     not null check (amount > 0),
  reason     text        not null,
  created_at timestamptz not null default now()
);

create index refunds_order on refunds (order_id);

-- Declined attempts, for the record; they create no payment.
create table declines (
  id          bigserial   primary key,
  order_id    uuid        not null,
  customer_id text        not null,
  amount      integer     not null,
  reason      text        not null,
  created_at  timestamptz not null default now()
);
