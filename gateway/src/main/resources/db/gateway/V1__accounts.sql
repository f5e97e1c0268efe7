-- Gateway: the accounts people log in with. Passwords are PBKDF2 hashes, never plain text.
create table accounts (
  username      text primary key,
  password_hash text not null,
  role          text not null check (role in ('customer', 'store', 'rider')),
  subject       text not null,
  display_name  text not null,
  phone         text not null
);
