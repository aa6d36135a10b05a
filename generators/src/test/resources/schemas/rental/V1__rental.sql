-- A film rental store: a chain of references (country <- city <- address <- customer/store),
-- an enum, a domain, arrays, CHECKs of several shapes, and a payment table partitioned by month.
-- Nothing stops a rental from being returned before it was rented.
create type mpaa_rating as enum ('G', 'PG', 'PG-13', 'R', 'NC-17');
create domain year as integer check (value >= 1901 and value <= 2155);

create table country (country_id serial primary key, country text not null unique);
create table city (
    city_id serial primary key,
    city text not null check (length(city) between 1 and 50),
    country_id integer not null references country
);
create table address (
    address_id serial primary key,
    address varchar(50) not null,
    postal_code varchar(10) check (postal_code ~ '^[0-9]{5}$'),
    city_id integer not null references city
);
create table store (store_id serial primary key, address_id integer not null references address);
create table customer (
    customer_id serial primary key,
    store_id integer not null references store,
    email varchar(50) unique,
    address_id integer not null references address,
    active boolean not null default true
);
create table film (
    film_id serial primary key,
    title text not null,
    release_year year,
    rental_rate numeric(4, 2) not null default 4.99 check (rental_rate > 0),
    rating mpaa_rating default 'G',
    special_features text[],
    length smallint check (length > 0)
);
create table inventory (
    inventory_id serial primary key,
    film_id integer not null references film,
    store_id integer not null references store
);
create table rental (
    rental_id serial primary key,
    rental_date timestamp not null,
    inventory_id integer not null references inventory,
    customer_id integer not null references customer,
    return_date timestamp,
    unique (rental_date, inventory_id, customer_id)
);
create table payment (
    payment_id serial,
    customer_id integer not null references customer,
    rental_id integer references rental,
    amount numeric(5, 2) not null check (amount >= 0),
    payment_date date not null,
    primary key (payment_id, payment_date)
) partition by range (payment_date);
create table payment_2025_01 partition of payment for values from ('2025-01-01') to ('2025-02-01');
create table payment_2025_02 partition of payment for values from ('2025-02-01') to ('2025-03-01');
