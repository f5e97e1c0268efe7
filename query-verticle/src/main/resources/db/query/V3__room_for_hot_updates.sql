-- A view is rewritten at every change of its order: room in each page lets PostgreSQL update it in
-- place (a HOT update, no index entries written) as long as its indexed columns stay the same.
alter table order_views set (fillfactor = 70);
