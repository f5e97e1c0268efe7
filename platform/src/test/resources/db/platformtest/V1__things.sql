create table things (id text primary key, n int not null default 0);
