-- pgbench script: everything PostgreSQL does for one placed order, in every context: the
-- synchronous placement (bench/one-order-placement.sql, repeated verbatim below) plus what follows
-- it asynchronously through the outbox relays, Kafka and the idempotent consumers' inboxes, as
-- observed with log_statement = 'all' on `baedal dev` for one order (and read in OutboxRelay,
-- IdempotentConsumer and the contexts' handlers). The Python notifier keeps its state in SQLite,
-- the gateway's Kafka-to-event-bus bridge has no SQL, and the rider and order contexts consume
-- nothing that placing an order publishes, so they add no SQL here.
--
-- Transaction boundaries are ONE RECORD PER TRANSACTION: every outbox row is relayed in a
-- transaction of its own and every consumed event is handled in a transaction of its own. That
-- is the worst case. Under load the real system commits less often: IdempotentConsumer handles up
-- to 100 polled records in one transaction, and OutboxRelay ships up to outbox.batch-size (500)
-- pending rows per transaction, one relay per schema. So this script is a lower bound on the
-- ceiling of the whole system; one-order-placement.sql bounds the request path alone.
--
-- Per order (one script execution = one order, so pgbench's "tps" is orders/s): the placement's
-- 6 autocommit reads and 2 autocommit writes, and 12 write transactions:
--    1-6  placement (see one-order-placement.sql): 6 reads, 2 autocommit writes (the payment
--         intent, the card network's record), 2 write transactions
--    7    payment relay  payment.authorized -> Kafka (lock, read the pending row, delete it)
--    8    order relay    order.placed -> Kafka
--   10    store    consumes order.placed             inbox, store name, insert store_orders
--   11    query    consumes payment.authorized       reserve, lock and update the view
--   12    query    consumes order.placed             reserve, lock and update the view
--   13    notify   consumes order.placed             reserve and lock the order, names, insert
--                                                    notification, outbox, update the order
--   14    notify relay   notification.requested -> Kafka (the Python notifier sends it)
--   15    query    consumes notification.requested   reserve, lock and update the view
--   16    notify   consumes notification.sent        update notification
--   17    query    consumes notification.sent        reserve, lock and update the view
-- The payment context passes order.placed over by its type (no SQL); the query side and notify
-- are idempotent by themselves and keep no inbox.
--
-- The relay's select is the relay's (pending rows, oldest first) narrowed to this order's row with
-- "and event_id = ...", so that each pgbench client relays exactly its own row (with 32 clients
-- the unnarrowed select would return everyone's pending rows, which the real relay ships in one
-- batch, not once per order). The advisory lock is the relay's: with many clients most tries
-- return false, which, unlike the real relay, this script ignores.

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

-- ======== 7: payment outbox relay (OutboxRelay.drainOnce) ========
begin;
select pg_try_advisory_xact_lock(hashtext('ceiling_payment_svc.outbox'));
select seq, topic, record_key, event_type, payload, created_at from ceiling_payment_svc.outbox where event_id = md5('event/payment.authorized/' || :r::text)::uuid::text order by seq limit 500 \gset relay_
delete from ceiling_payment_svc.outbox where seq = any(array[:relay_seq::bigint]);
commit;

-- ======== 8: order outbox relay ========
begin;
select pg_try_advisory_xact_lock(hashtext('ceiling_order_svc.outbox'));
select seq, topic, record_key, event_type, payload, created_at from ceiling_order_svc.outbox where event_id = md5('event/order.placed/' || :r::text)::uuid::text order by seq limit 500 \gset relay_
delete from ceiling_order_svc.outbox where seq = any(array[:relay_seq::bigint]);
commit;

-- ======== 10: store consumes order.placed (the store's copy of the order) ========
begin;
insert into ceiling_store_svc.inbox (event_id, topic) values (md5('event/order.placed/' || :r::text)::uuid::text, 'order-events') on conflict do nothing;
select name from ceiling_store_svc.stores where store_id = 'store-1';
insert into ceiling_store_svc.store_orders (order_id, store_id, customer_id, items, total, delivery_fee, express, delivery_address, status, placed_at, updated_at) values (md5('order/' || :r::text)::uuid, 'store-1', 'kim', '[{"name": "Fried Chicken", "price": 18000, "menuId": "chicken-fried", "quantity": 1}, {"name": "Cola 1.25L", "price": 2500, "menuId": "cola", "quantity": 1}]', 22500, 2000, false, '{"lat": 37.5006, "lng": 127.0364, "text": "서울 강남구 테헤란로 152", "phone": "010-1234-5678"}', 'NEW', now(), now()) on conflict (order_id) do nothing;
commit;

-- ======== 11: query consumes payment.authorized (the view does not exist yet) ========
begin;
insert into ceiling_query_svc.order_views (order_id, state) values (md5('order/' || :r::text)::uuid, '{}') on conflict do nothing;
select order_id, state, version from ceiling_query_svc.order_views where order_id = any(array[md5('order/' || :r::text)::uuid]) for update;
update ceiling_query_svc.order_views set customer_id = 'kim', store_id = 'store-1', rider_id = null, status = null, state = '{"facts": {}, "orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7", "refunds": {}, "updatedAt": "2026-11-26T09:22:21.494693142Z", "authorized": 22500, "adjustments": {}, "notifications": {}}', placed_at = now(), version = version + 1, updated_at = now() where order_id = md5('order/' || :r::text)::uuid;
commit;

-- ======== 12: query consumes order.placed ========
begin;
insert into ceiling_query_svc.order_views (order_id, state) values (md5('order/' || :r::text)::uuid, '{}') on conflict do nothing;
select order_id, state, version from ceiling_query_svc.order_views where order_id = any(array[md5('order/' || :r::text)::uuid]) for update;
update ceiling_query_svc.order_views set customer_id = 'kim', store_id = 'store-1', rider_id = null, status = 'PAID', state = '{"facts": {}, "items": [{"name": "Fried Chicken", "price": 18000, "menuId": "chicken-fried", "quantity": 1}, {"name": "Cola 1.25L", "price": 2500, "menuId": "cola", "quantity": 1}], "total": 22500, "express": false, "orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7", "refunds": {}, "storeId": "store-1", "placedAt": "2026-11-26T09:22:21.500923Z", "storeName": "Hanok Chicken", "updatedAt": "2026-11-26T09:22:21.500923Z", "authorized": 22500, "customerId": "kim", "adjustments": {}, "deliveryFee": 2000, "notifications": {}}', placed_at = now(), version = version + 1, updated_at = now() where order_id = md5('order/' || :r::text)::uuid;
commit;

-- ======== 13: notify consumes order.placed: asks for the "order_paid" KakaoTalk message ========
begin;
insert into ceiling_notify_svc.orders (order_id, state) values (md5('order/' || :r::text)::uuid, '{}') on conflict do nothing;
select order_id, state from ceiling_notify_svc.orders where order_id = any(array[md5('order/' || :r::text)::uuid]) for update;
select store_id, menu_id, name_ko from ceiling_notify_svc.catalog_names where store_id = any('{store-1}');
insert into ceiling_notify_svc.notifications (notification_id, order_id, template, status) values (md5('notification/' || :r::text)::uuid, md5('order/' || :r::text)::uuid, 'order_paid', 'requested') on conflict (notification_id) do nothing;
insert into ceiling_notify_svc.outbox (event_id, topic, record_key, event_type, payload) values (md5('event/notification.requested/' || :r::text)::uuid::text, 'notification-requests', md5('order/' || :r::text)::uuid::text, 'notification.requested', '{"specversion": "1.0","id": "2e1986d8-2368-45f2-ad51-19a0aa834052","source": "/notify","type": "notification.requested","subject": "87efd253-a301-3d4d-9398-0bd39e2a8cd7","time": "2026-11-26T09:22:21.500923Z","datacontenttype": "application/json","data": {"notificationId": "3f6ec4b2-8be5-3126-aee0-0eb38ea6e864","orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7","customerId": "kim","recipientPhone": "010-1234-5678","template": "order_paid","text": "[배달] 한옥치킨 주문이 결제되었습니다. 후라이드 치킨 x1, 콜라 1.25L x1 / 총 22,500원\n[Baedal] Your order at Hanok Chicken is paid: Fried Chicken x1, Cola 1.25L x1, total 22,500 KRW.","textKo": "[배달] 한옥치킨 주문이 결제되었습니다. 후라이드 치킨 x1, 콜라 1.25L x1 / 총 22,500원","textEn": "[Baedal] Your order at Hanok Chicken is paid: Fried Chicken x1, Cola 1.25L x1, total 22,500 KRW.","buttons": [{"title": "주문 확인 Track order","url": "http://127.0.0.1:8080/customer.html?order=87efd253-a301-3d4d-9398-0bd39e2a8cd7"}]}}');
update ceiling_notify_svc.orders set state = '{"facts": {}, "items": [{"name": "Fried Chicken", "price": 18000, "menuId": "chicken-fried", "quantity": 1}, {"name": "Cola 1.25L", "price": 2500, "menuId": "cola", "quantity": 1}], "phone": "010-1234-5678", "total": 22500, "storeId": "store-1", "notified": ["PAID"], "placedAt": "2026-11-26T09:22:21.500923Z", "storeName": "Hanok Chicken", "customerId": "kim", "modifications": {}}' where order_id = md5('order/' || :r::text)::uuid;
commit;

-- ======== 14: notify outbox relay ========
begin;
select pg_try_advisory_xact_lock(hashtext('ceiling_notify_svc.outbox'));
select seq, topic, record_key, event_type, payload, created_at from ceiling_notify_svc.outbox where event_id = md5('event/notification.requested/' || :r::text)::uuid::text order by seq limit 500 \gset relay_
delete from ceiling_notify_svc.outbox where seq = any(array[:relay_seq::bigint]);
commit;

-- ======== 15: query consumes notification.requested ========
begin;
insert into ceiling_query_svc.order_views (order_id, state) values (md5('order/' || :r::text)::uuid, '{}') on conflict do nothing;
select order_id, state, version from ceiling_query_svc.order_views where order_id = any(array[md5('order/' || :r::text)::uuid]) for update;
update ceiling_query_svc.order_views set customer_id = 'kim', store_id = 'store-1', rider_id = null, status = 'PAID', state = '{"facts": {}, "items": [{"name": "Fried Chicken", "price": 18000, "menuId": "chicken-fried", "quantity": 1}, {"name": "Cola 1.25L", "price": 2500, "menuId": "cola", "quantity": 1}], "total": 22500, "express": false, "orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7", "refunds": {}, "storeId": "store-1", "placedAt": "2026-11-26T09:22:21.500923Z", "storeName": "Hanok Chicken", "updatedAt": "2026-11-26T09:22:21.500923Z", "authorized": 22500, "customerId": "kim", "adjustments": {}, "deliveryFee": 2000, "notifications": {"3f6ec4b2-8be5-3126-aee0-0eb38ea6e864": {"at": "2026-11-26T09:22:21.500923Z", "type": "order_paid", "status": "requested", "channel": "kakao", "notificationId": "3f6ec4b2-8be5-3126-aee0-0eb38ea6e864"}}}', placed_at = now(), version = version + 1, updated_at = now() where order_id = md5('order/' || :r::text)::uuid;
commit;

-- ======== 16: notify consumes notification.sent (the Python notifier's receipt) ========
begin;
update ceiling_notify_svc.notifications set status = 'sent', outcome_at = now(), error = null where notification_id = md5('notification/' || :r::text)::uuid;
commit;

-- ======== 17: query consumes notification.sent ========
begin;
insert into ceiling_query_svc.order_views (order_id, state) values (md5('order/' || :r::text)::uuid, '{}') on conflict do nothing;
select order_id, state, version from ceiling_query_svc.order_views where order_id = any(array[md5('order/' || :r::text)::uuid]) for update;
update ceiling_query_svc.order_views set customer_id = 'kim', store_id = 'store-1', rider_id = null, status = 'PAID', state = '{"facts": {}, "items": [{"name": "Fried Chicken", "price": 18000, "menuId": "chicken-fried", "quantity": 1}, {"name": "Cola 1.25L", "price": 2500, "menuId": "cola", "quantity": 1}], "total": 22500, "express": false, "orderId": "87efd253-a301-3d4d-9398-0bd39e2a8cd7", "refunds": {}, "storeId": "store-1", "placedAt": "2026-11-26T09:22:21.500923Z", "storeName": "Hanok Chicken", "updatedAt": "2026-11-26T09:22:21.696Z", "authorized": 22500, "customerId": "kim", "adjustments": {}, "deliveryFee": 2000, "notifications": {"3f6ec4b2-8be5-3126-aee0-0eb38ea6e864": {"at": "2026-11-26T09:22:21.696Z", "type": "order_paid", "status": "sent", "channel": "kakao", "notificationId": "3f6ec4b2-8be5-3126-aee0-0eb38ea6e864"}}}', placed_at = now(), version = version + 1, updated_at = now() where order_id = md5('order/' || :r::text)::uuid;
commit;
