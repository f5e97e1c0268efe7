-- Each visible change of a view bumps its version; live subscribers (the order WebSocket) get one
-- message per version and compare it to what they were sent.
alter table order_views add column version bigint not null default 0;
