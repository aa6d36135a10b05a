-- A schema of many shapes, for the catalog reader's tests.
create extension if not exists vector;
create extension if not exists btree_gist;
create schema store;
create type mood as enum ('sad', 'ok', 'happy');
create domain positive_int as integer not null check (value > 0);
create type address as (street text, zip varchar(5));

create table store.tenant (
    id integer generated always as identity primary key,
    name varchar(40) not null unique
);
create table store.account (
    tenant_id integer not null references store.tenant (id) on delete cascade,
    id integer not null,
    email text not null,
    manager_id integer,
    primary key (tenant_id, id),
    foreign key (tenant_id, manager_id) references store.account (tenant_id, id) on delete set null
);
create unique index account_email_live on store.account (lower(email)) where manager_id is not null;
create table item (
    id bigserial primary key,
    price numeric(10, 2) not null check (price >= 0),
    weight real,
    code char(4) unique nulls not distinct,
    tags text[] not null default '{}',
    feel mood,
    qty positive_int,
    ship_to address,
    total numeric generated always as (price * 2) stored,
    bits bit(8),
    during tstzrange,
    embedding vector(3),
    check (weight is null or weight between 0 and 1000)
);
create table a (id int primary key, b_id int);
create table b (id int primary key, a_id int not null references a (id) deferrable initially deferred);
alter table a add constraint a_b_fk foreign key (b_id) references b (id);
create table event (
    id int not null,
    at date not null,
    primary key (id, at)
) partition by range (at);
create table event_2025 partition of event for values from ('2025-01-01') to ('2026-01-01');
create table event_other partition of event default;
create table booking (
    room int not null,
    during tsrange not null,
    exclude using gist (room with =, during with &&)
);
alter table booking enable row level security;
create policy own_rooms on booking for select using (room > 0);
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger item_touch before insert on item for each row execute function touch();
