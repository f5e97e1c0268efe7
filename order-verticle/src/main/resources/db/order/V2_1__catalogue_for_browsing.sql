-- The catalogue replica also serves browsing (GET /api/stores and /menu, while the store context
-- is down): the Korean names and the menu's order. Orders keep the store's Korean name.
-- (2.1, not 3: other work may add a V3 at the same time; Flyway runs with outOfOrder.)
alter table catalog_stores add column name_ko text;

alter table catalog_items
  add column name_ko  text,
  add column position integer not null default 0;

alter table orders add column store_name_ko text;
