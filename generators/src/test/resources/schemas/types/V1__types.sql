-- One column of each common type, arrays, enums, domains, a composite, ranges and vectors.
create extension if not exists vector;
create type colour as enum ('red', 'green', 'blue');
create domain percent as numeric(5, 2) not null check (value >= 0 and value <= 100);
create domain zip as varchar(5) check (value ~ '^[0-9]{5}$');
create type pair as (a integer, b text);
create table everything (
    id integer primary key,
    i2 smallint, i4 integer, i8 bigint, num numeric(7, 3), num_any numeric, r4 real, r8 double precision, cash money,
    t text, vc varchar(5), ch char(3), b boolean, d date, tm time, tmtz timetz, ts timestamp, tstz timestamptz,
    iv interval, u uuid, j json, jb jsonb, by bytea, ip inet, net cidr, mac macaddr, bt bit(4), vb varbit(6),
    c colour, pct percent, z zip, p pair,
    r_i4 int4range, r_i8 int8range, r_num numrange, r_ts tsrange, r_tstz tstzrange, r_d daterange,
    v vector(3), hv halfvec(2), sv sparsevec(5),
    a_i4 integer[], a_t text[], a_num numeric(4, 1)[], a_d date[], a_b boolean[], a_u uuid[], a_c colour[],
    a_jb jsonb[], a_ts timestamptz[], a_by bytea[]
);
