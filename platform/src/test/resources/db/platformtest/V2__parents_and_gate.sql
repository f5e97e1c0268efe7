-- parents: what a child event needs to exist first; gate: a row a test can hold locked
create table parents (id text primary key);
create table gate (id int primary key);
insert into gate values (1);
