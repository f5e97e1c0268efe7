-- Orders and changes of items that the payment context's reconciler found never stored and gave up
-- on: recorded here before it voids their charge, so that a late attempt to store them (a paused
-- process waking up, a retry after a lost answer) is refused instead of leaving an unpaid order.
create table abandoned (
  id   uuid        primary key,
  kind text        not null,
  at   timestamptz not null default now()
);

-- Every change of items the order has recorded, for that question.
create table modifications (
  modification_id uuid        primary key,
  order_id        uuid        not null,
  recorded_at     timestamptz not null default now()
);
