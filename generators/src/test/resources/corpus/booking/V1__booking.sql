-- A booking system: no two bookings of one room overlap (an exclusion constraint on ranges with
-- btree_gist), opening hours as a range per weekday, prices valid over date ranges.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE rooms (
    room_id   integer PRIMARY KEY,
    name      varchar(40) NOT NULL CONSTRAINT rooms_name_key UNIQUE,
    capacity  smallint NOT NULL CONSTRAINT rooms_capacity_range CHECK (capacity BETWEEN 1 AND 500)
);

CREATE TABLE guests (
    guest_id uuid PRIMARY KEY,
    name     text NOT NULL,
    email    text CONSTRAINT guests_email_format CHECK (email ~ '^[^@ ]+@[^@ ]+$')
);

CREATE TABLE bookings (
    booking_id bigint PRIMARY KEY,
    room_id    integer NOT NULL CONSTRAINT bookings_room_fk REFERENCES rooms (room_id),
    guest_id   uuid NOT NULL CONSTRAINT bookings_guest_fk REFERENCES guests (guest_id),
    during     tstzrange NOT NULL CONSTRAINT bookings_during_bounded CHECK (NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)),
    people     smallint NOT NULL DEFAULT 1 CONSTRAINT bookings_people_positive CHECK (people > 0),
    cancelled  boolean NOT NULL DEFAULT false,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (NOT cancelled)
);

CREATE TABLE opening_hours (
    room_id integer NOT NULL CONSTRAINT opening_hours_room_fk REFERENCES rooms (room_id),
    weekday smallint NOT NULL CONSTRAINT opening_hours_weekday_range CHECK (weekday BETWEEN 0 AND 6),
    hours   int4range NOT NULL CONSTRAINT opening_hours_within_day CHECK (hours <@ int4range(0, 1440)),
    CONSTRAINT opening_hours_no_overlap EXCLUDE USING gist (room_id WITH =, weekday WITH =, hours WITH &&)
);

CREATE TABLE rates (
    room_id  integer NOT NULL CONSTRAINT rates_room_fk REFERENCES rooms (room_id),
    valid    daterange NOT NULL,
    cents    integer NOT NULL CONSTRAINT rates_cents_positive CHECK (cents > 0),
    CONSTRAINT rates_no_overlap EXCLUDE USING gist (room_id WITH =, valid WITH &&)
);
