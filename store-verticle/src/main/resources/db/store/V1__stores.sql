-- Store context: stores and their menus (the source of the `catalog` topic).
create table stores (
  store_id   text             primary key,
  name       text             not null,
  name_ko    text             not null,
  lat        double precision not null,
  lng        double precision not null,
  open       boolean          not null default true,
  updated_at timestamptz      not null default now()
);

create table menu_items (
  store_id text    not null references stores (store_id),
  menu_id  text    not null,
  name     text    not null,
  name_ko  text    not null,
  price    integer not null check (price > 0),
  position integer not null,
  primary key (store_id, menu_id)
);
