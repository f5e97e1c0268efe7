-- Korean names of stores (menu_id '') and menu items, from the catalog topic, for the messages.
create table catalog_names (
  store_id text not null,
  menu_id  text not null default '',
  name_ko  text not null,
  primary key (store_id, menu_id)
);
