-- Riders see the store's Korean name beside the English one (from store.cooking-started).
alter table deliveries add column store_name_ko text;
