-- What the order context learns from the store and rider contexts, as facts with their times
-- (out-of-order delivery across topics cannot make the status go backwards), and the sagas'
-- bookkeeping.
alter table orders
  add column progress                    jsonb not null default '{}',
  add column rider_id                    text,
  add column reject_reason               text,
  add column cancel_refused_reason       text,
  add column pending_modification        jsonb,
  add column modification_refused_reason text;
