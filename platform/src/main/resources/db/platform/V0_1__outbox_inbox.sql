-- The transactional outbox and the consumer inbox every context has in its own schema.
-- Flyway runs this with the context's schema first on the search_path.

create table outbox (
  seq        bigserial primary key,
  event_id   text        not null unique,
  topic      text        not null,
  record_key text        not null,
  payload    text        not null,
  created_at timestamptz not null default now(),
  sent_at    timestamptz
);

-- The relay only ever reads the rows still to send.
create index outbox_pending on outbox (seq) where sent_at is null;

-- Wake the relay as soon as a transaction that wrote events commits.
create function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify(tg_table_schema || '_outbox', '');
  return null;
end
$$;

create trigger outbox_notify after insert on outbox
  for each statement execute function outbox_notify();

-- Ids of the events a context has handled: a redelivered event finds its id here and is skipped.
create table inbox (
  event_id    text        primary key,
  topic       text        not null,
  received_at timestamptz not null default now()
);
