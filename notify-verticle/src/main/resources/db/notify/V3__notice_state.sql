-- What notify knows of an order becomes one JSON state (the facts with their times, what the
-- messages need, and which notices it has asked for), so a chunk of events is read, applied in
-- memory and written back in a few statements. Notices are derived from the facts, so the order in
-- which events of different topics arrive no longer matters.
alter table orders add column state jsonb;

update orders set state = jsonb_build_object(
    'customerId', customer_id,
    'phone', phone,
    'storeId', store_id,
    'storeName', store_name,
    'items', items,
    'total', total,
    'placedAt', placed_at,
    'facts', facts,
    'etaMinutes', eta_minutes,
    'reason', reason,
    'notified',
      case when placed_at is null then '[]'::jsonb
           else (select coalesce(jsonb_agg(key), '[]'::jsonb) from jsonb_object_keys(facts) as key)
                || '["PAID"]'::jsonb end);

update orders set state = jsonb_strip_nulls(state);

alter table orders
  alter column state set not null,
  drop column customer_id,
  drop column phone,
  drop column store_id,
  drop column store_name,
  drop column items,
  drop column total,
  drop column placed_at,
  drop column facts,
  drop column eta_minutes,
  drop column reason,
  drop column notified_status;
