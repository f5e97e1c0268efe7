-- pgbench script: the synchronous SQL of one POST /api/orders, i.e. everything PostgreSQL does
-- before the order is stored (observed with log_statement = 'all' on `baedal dev`, and read in
-- OrderService.place, CatalogReplica.quote, PaymentService.authorize, CardNetwork.authorize,
-- OrderRepository.insert, Outbox.append).
--
-- It runs against the scratch copies that bench/pg-ceiling makes (ceiling_<schema>.<table>,
-- created LIKE the real tables INCLUDING ALL, with their foreign keys, outbox NOTIFY triggers and
-- the catalogue rows), never against the real schemas. One script execution = one order, so
-- pgbench's "tps" is orders/s.
--
-- Per order: 6 autocommit reads, 2 autocommit writes and 2 write transactions (4 commits, each a
-- WAL flush with synchronous_commit = on):
--   order    select by (customer_id, idempotency_key)              autocommit, no row
--   order    select catalog_stores by store_id                      autocommit
--   order    select catalog_items where menu_id = any(...)          autocommit
--   payment  select payments by order_id                            autocommit, no row
--   payment  insert payments (PENDING: the intent, before the card network is asked)
--   payment  select payments by order_id                            autocommit
--   network  insert card_network_ledger (the issuer's own record, keyed by our payment id)
--   network  select its outcome                                     autocommit
--   payment  BEGIN; select payments for update; update AUTHORIZED; insert outbox; COMMIT
--   order    BEGIN; advisory lock on the order id; select abandoned; insert orders;
--            insert outbox (order.placed); COMMIT
-- (The gateway's one read of the customer's phone, a primary-key lookup in gateway_svc, is left
-- out: this script touches the scratch copies only.) The bodies are the ones `baedal bench` sends
-- (store-1: one chicken-fried, one cola); payloads have the observed sizes, ids are fresh per
-- order.

\set r random(1, 9223372036854775806)

-- order: is this (customer, Idempotency-Key) a replay? (OrderRepository.BY_KEY)
select order_id, customer_id, store_id, store_name, items, subtotal, delivery_fee, total, express, delivery_address, status, payment_id, created_at, updated_at, progress, rider_id, reject_reason, cancel_refused_reason, pending_modification, modification_refused_reason, request_hash from ceiling_order_svc.orders where customer_id = 'kim' and idempotency_key = md5('key/' || :r::text)::uuid::text;

-- order: price it from the catalogue replica (CatalogReplica.quote)
select name, open from ceiling_order_svc.catalog_stores where store_id = 'store-1';
select store_id, menu_id, name, price from ceiling_order_svc.catalog_items where menu_id = any('{chicken-fried,cola}');

-- payment (over the event bus, through the breaker): an existing payment for this order id?
select payment_id, order_id, customer_id, amount, refunded, status, bound, reserved_until from ceiling_payment_svc.payments where order_id = md5('order/' || :r::text)::uuid;

-- payment: the intent, recorded before the card network is asked
insert into ceiling_payment_svc.payments (payment_id, order_id, customer_id, amount, status, card_last4, reserved_until) values (md5('payment/' || :r::text)::uuid, md5('order/' || :r::text)::uuid, 'kim', 22500, 'PENDING', '4242', now() + interval '60 seconds') on conflict (order_id) do nothing;
select payment_id, order_id, customer_id, amount, refunded, status, bound, reserved_until from ceiling_payment_svc.payments where order_id = md5('order/' || :r::text)::uuid;

-- the (simulated) card network authorizes under our payment id, once
insert into ceiling_payment_svc.card_network_ledger (key, amount, outcome) values (md5('payment/' || :r::text)::uuid, 22500, 'APPROVED') on conflict (key) do nothing;
select outcome from ceiling_payment_svc.card_network_ledger where key = md5('payment/' || :r::text)::uuid;

-- payment: settle the intent with payment.authorized
begin;
select payment_id, order_id, customer_id, amount, refunded, status, bound, reserved_until from ceiling_payment_svc.payments where order_id = md5('order/' || :r::text)::uuid for update;
update ceiling_payment_svc.payments set status = 'AUTHORIZED', reserved_until = now() + interval '60 seconds', updated_at = now() where payment_id = md5('payment/' || :r::text)::uuid;
insert into ceiling_payment_svc.outbox (event_id, topic, record_key, event_type, payload) values (md5('event/payment.authorized/' || :r::text)::uuid::text, 'payment-events', md5('order/' || :r::text)::uuid::text, 'payment.authorized', '{"specversion": "1.0","id": "62f8fb57-18ca-4238-84fa-3e4ac5833172","source": "/payment","type": "payment.authorized","subject": "87efd253-a301-3d4d-9398-0bd39e2a8cd7","time": "2026-11-26T09:22:21.494693142Z","datacontenttype": "application/json","data": {"orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7","paymentId": "765eac8c-c79c-4a98-af69-4bfb95edfaf8","customerId": "kim","amount": 22500}}');
commit;

-- order: store the paid order with order.placed, unless the reconciler gave it up meanwhile
begin;
select pg_advisory_xact_lock(hashtextextended(md5('order/' || :r::text), 0));
select 1 from ceiling_order_svc.abandoned where id = md5('order/' || :r::text)::uuid;
insert into ceiling_order_svc.orders (order_id, customer_id, store_id, store_name, items, subtotal, delivery_fee, total, express, delivery_address, status, payment_id, created_at, updated_at, progress, rider_id, reject_reason, cancel_refused_reason, pending_modification, modification_refused_reason, idempotency_key, request_hash) values (md5('order/' || :r::text)::uuid, 'kim', 'store-1', 'Hanok Chicken', '[{"name": "Fried Chicken", "price": 18000, "menuId": "chicken-fried", "quantity": 1}, {"name": "Cola 1.25L", "price": 2500, "menuId": "cola", "quantity": 1}]', 20500, 2000, 22500, false, '{"lat": 37.5006, "lng": 127.0364, "text": "서울 강남구 테헤란로 152", "phone": "010-1234-5678"}', 'PAID', md5('payment/' || :r::text)::uuid, now(), now(), '{}', null, null, null, null, null, md5('key/' || :r::text)::uuid::text, '30af1f8ffbe458c643d0537d69f493637f15c5acae767afef13f7aeadab49ded') on conflict do nothing;
insert into ceiling_order_svc.outbox (event_id, topic, record_key, event_type, payload) values (md5('event/order.placed/' || :r::text)::uuid::text, 'order-events', md5('order/' || :r::text)::uuid::text, 'order.placed', '{"specversion": "1.0","id": "b0a52abd-d686-4993-838d-49fe47315c23","source": "/order","type": "order.placed","subject": "87efd253-a301-3d4d-9398-0bd39e2a8cd7","time": "2026-11-26T09:22:21.500923Z","datacontenttype": "application/json","data": {"orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7","customerId": "kim","storeId": "store-1","storeName": "Hanok Chicken","items": [{"menuId": "chicken-fried","name": "Fried Chicken","quantity": 1,"price": 18000},{"menuId": "cola","name": "Cola 1.25L","quantity": 1,"price": 2500}],"subtotal": 20500,"deliveryFee": 2000,"total": 22500,"express": false,"deliveryAddress": {"text": "서울 강남구 테헤란로 152","lat": 37.5006,"lng": 127.0364,"phone": "010-1234-5678"},"status": "PAID","riderId": null,"rejectReason": null,"cancelRefusedReason": null,"modificationRefusedReason": null,"pendingModification": null,"timeline": [{"status": "PAID","at": "2026-11-26T09:22:21.500923Z"}],"paymentId": "765eac8c-c79c-4a98-af69-4bfb95edfaf8","createdAt": "2026-11-26T09:22:21.500923Z","updatedAt": "2026-11-26T09:22:21.500923Z"}}');
commit;
