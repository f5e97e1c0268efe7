-- Extra charges for changed orders (one per modification), and refunds that can happen only once
-- per cause: a redelivered event never refunds twice.
create table adjustments (
  modification_id uuid        primary key,
  order_id        uuid        not null,
  amount          integer     not null,
  -- CHARGED, or VOIDED: the change did not happen (a tombstone when nothing was charged)
  status          text        not null,
  created_at      timestamptz not null default now()
);

alter table refunds add column refund_key text;
update refunds set refund_key = 'void' where refund_key is null;
alter table refunds alter column refund_key set not null;
alter table refunds add constraint refunds_once unique (order_id, refund_key);
