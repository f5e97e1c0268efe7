-- Gateway: failed logins of the last minutes, per username and per client address, for the
-- login throttle (429 with Retry-After). Rows older than the window are deleted.
create table login_failures (
  id   bigserial primary key,
  kind text not null check (kind in ('user', 'address')),
  key  text not null,
  at   timestamptz not null default now()
);
create index login_failures_key_at on login_failures (kind, key, at);
create index login_failures_at on login_failures (at);

-- the customer's phone is looked up by subject when an order is placed (it is not in the token)
create index accounts_role_subject on accounts (role, subject);
