-- One column of every common type, then an array of each, so that every value must be drawn,
-- loaded and read back: integers, exact and floating numerics, money, strings of each length
-- rule, times with and without zones, intervals, network and bit strings, JSON, bytes, enums,
-- domains, a composite type, the six built-in ranges and pgvector's three vector types.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0);
CREATE DOMAIN short_code AS varchar(8) NOT NULL CONSTRAINT short_code_check CHECK (VALUE ~ '^[A-Z0-9]+$');
CREATE TYPE point3 AS (x double precision, y double precision, label text);

CREATE TABLE scalars (
    id            integer PRIMARY KEY,
    c_smallint    smallint,
    c_integer     integer,
    c_bigint      bigint,
    c_numeric     numeric(12, 4),
    c_numeric_any numeric,
    c_real        real,
    c_double      double precision,
    c_money       money,
    c_text        text,
    c_varchar     varchar(10),
    c_char        char(4),
    c_boolean     boolean,
    c_date        date,
    c_time        time,
    c_timetz      timetz,
    c_timestamp   timestamp,
    c_timestamptz timestamptz,
    c_interval    interval,
    c_uuid        uuid,
    c_json        json,
    c_jsonb       jsonb,
    c_bytea       bytea,
    c_inet        inet,
    c_cidr        cidr,
    c_macaddr     macaddr,
    c_bit         bit(5),
    c_varbit      bit varying(12),
    c_enum        mood,
    c_domain      positive_int,
    c_code        short_code,
    c_composite   point3,
    c_int4range   int4range,
    c_int8range   int8range,
    c_numrange    numrange,
    c_tsrange     tsrange,
    c_tstzrange   tstzrange,
    c_daterange   daterange,
    c_vector      vector(3),
    c_halfvec     halfvec(3),
    c_sparsevec   sparsevec(16)
);

CREATE TABLE arrays (
    id            integer PRIMARY KEY,
    a_smallint    smallint[],
    a_integer     integer[],
    a_bigint      bigint[],
    a_numeric     numeric(8, 2)[],
    a_real        real[],
    a_double      double precision[],
    a_money       money[],
    a_text        text[],
    a_varchar     varchar(6)[],
    a_char        char(2)[],
    a_boolean     boolean[],
    a_date        date[],
    a_time        time[],
    a_timetz      timetz[],
    a_timestamp   timestamp[],
    a_timestamptz timestamptz[],
    a_interval    interval[],
    a_uuid        uuid[],
    a_json        json[],
    a_jsonb       jsonb[],
    a_bytea       bytea[],
    a_inet        inet[],
    a_cidr        cidr[],
    a_macaddr     macaddr[],
    a_bit         bit(3)[],
    a_varbit      varbit[],
    a_enum        mood[],
    a_composite   point3[],
    a_int4range   int4range[],
    a_daterange   daterange[],
    a_vector      vector(2)[],
    a_matrix      integer[][]
);

CREATE TABLE not_null_scalars (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    n_numeric numeric(3, 0) NOT NULL,
    n_real    real NOT NULL,
    n_char    char(1) NOT NULL,
    n_bit     bit(1) NOT NULL,
    n_time    timetz NOT NULL,
    n_range   tstzrange NOT NULL,
    n_json    jsonb NOT NULL,
    n_vector  vector(4) NOT NULL,
    doubled   bigint GENERATED ALWAYS AS (n_numeric * 2) STORED
);
