-- Payments as durable intents (a row exists before the card network is called), bound to their
-- order once the order is known to exist, reserved for a while after each authorization; what is
-- never bound is voided by the reconciler. The simulated card network keeps its own ledger, as an
-- issuer does, keyed by our payment or adjustment id so that asking twice authorizes once; refunds
-- and reversals to it are durable commands, retried until done.

-- PENDING: recorded, the card network not answered yet; AUTHORIZED; DECLINED; VOIDED: released
-- (the order never came to be), or a tombstone left by a void that came first
alter table payments
  add column bound boolean not null default false,
  add column reserved_until timestamptz;
update payments set bound = true where status = 'AUTHORIZED';

-- PENDING, CHARGED, DECLINED or VOIDED; bound once the order has recorded the change
alter table adjustments
  add column bound boolean not null default false,
  add column reserved_until timestamptz;
update adjustments set bound = true where status = 'CHARGED';

create index payments_unbound on payments (reserved_until) where not bound;
create index adjustments_unbound on adjustments (reserved_until) where not bound;

-- the simulated card network's own side: what the issuer authorized, under our key
create table card_network_ledger (
  key        uuid        primary key,
  amount     integer     not null,
  outcome    text        not null,
  reversed   integer     not null default 0,
  created_at timestamptz not null default now()
);

-- refunds and reversals to send to the card network, until it has them
create table card_network_commands (
  command_id uuid        primary key,
  key        uuid        not null,
  amount     integer     not null check (amount > 0),
  created_at timestamptz not null default now(),
  done_at    timestamptz
);
create index card_network_commands_pending on card_network_commands (created_at) where done_at is null;
