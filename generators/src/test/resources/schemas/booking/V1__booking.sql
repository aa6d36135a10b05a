-- Bookings that may not overlap (an exclusion constraint on a range), rooms in a
-- list-partitioned table, and row-level security.
create extension if not exists btree_gist;
create table room (
    id integer primary key,
    floor smallint not null check (floor >= 0 and floor < 20),
    kind text not null
) ;
create table booking (
    id uuid primary key,
    room_id integer not null references room,
    during tsrange not null check (not isempty(during) and lower(during) is not null and upper(during) is not null),
    guests integer not null check (guests > 0 and guests <= 4),
    exclude using gist (room_id with =, during with &&)
);
alter table booking enable row level security;
create policy booking_read on booking for select using (guests > 0);
create table region_note (
    region text not null,
    note text not null,
    primary key (region, note)
) partition by list (region);
create table region_note_eu partition of region_note for values in ('eu', 'uk');
create table region_note_us partition of region_note for values in ('us');
