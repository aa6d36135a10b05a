-- Foreign keys a bulk key check must judge as PostgreSQL's per-row check does: a plain and a
-- self-referencing key, a composite MATCH FULL key to a table whose name needs quoting, a
-- partitioned child, and a parent with inheritance children (whose rows do not count).
CREATE TABLE region (
    id   integer PRIMARY KEY,
    name text
);
CREATE TABLE site (
    id          integer PRIMARY KEY,
    region_id   integer REFERENCES region (id),
    parent_site integer REFERENCES site (id)
);
CREATE TABLE "Odd Parent" (
    "K a" integer,
    b     integer,
    PRIMARY KEY ("K a", b)
);
CREATE TABLE kid (
    id integer PRIMARY KEY,
    x  integer,
    y  integer,
    FOREIGN KEY (x, y) REFERENCES "Odd Parent" MATCH FULL
);
CREATE TABLE reading (
    site_id integer NOT NULL REFERENCES site (id),
    at      date NOT NULL,
    v       integer
) PARTITION BY RANGE (at);
CREATE TABLE reading_2026 PARTITION OF reading FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE reading_2027 PARTITION OF reading FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE base_item (
    id integer PRIMARY KEY
);
CREATE TABLE special_item (
    extra text
) INHERITS (base_item);
CREATE TABLE item_ref (
    id      integer PRIMARY KEY,
    item_id integer REFERENCES base_item (id)
);

-- What per-row checks must stay on for: a user trigger (it must fire for every row), a
-- deferrable unique constraint (its recheck is a trigger), a key checked at commit.
CREATE TABLE audit_log (
    audited_id integer NOT NULL
);
CREATE TABLE audited (
    id        integer PRIMARY KEY,
    region_id integer REFERENCES region (id)
);
CREATE FUNCTION audited_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log VALUES (NEW.id);
    RETURN NEW;
END $$;
CREATE TRIGGER audited_log AFTER INSERT ON audited FOR EACH ROW EXECUTE FUNCTION audited_log();
CREATE TABLE slot (
    n integer UNIQUE DEFERRABLE
);
CREATE TABLE late_ref (
    id        integer PRIMARY KEY,
    region_id integer REFERENCES region (id) DEFERRABLE INITIALLY DEFERRED
);

-- What COPY must store as the INSERT does: a value of every common type, a domain over a
-- number, an enum; and a key the server writes itself (an INSERT that names it is refused).
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TYPE mood AS ENUM ('calm', 'tense');
CREATE DOMAIN release_year AS integer CONSTRAINT release_year_range CHECK (VALUE BETWEEN 1901 AND 2155);
CREATE TABLE typed (
    id       integer PRIMARY KEY,
    small    smallint,
    big      bigint,
    price    numeric(10, 2),
    ratio    real,
    weight   double precision,
    flag     boolean,
    token    uuid,
    at       timestamp(3) with time zone,
    local_at timestamp without time zone,
    day      date,
    clock    time,
    blob     bytea,
    doc      jsonb,
    note     text,
    code     varchar(12),
    letters  char(3),
    feeling  mood,
    year     release_year,
    tags     text[],
    scores   integer[],
    addr     inet,
    span     interval,
    emb      vector(3)
);
CREATE TABLE always_id (
    id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    note text
);

-- A foreign-key cycle a large load closes: each depot's manager works in a depot.
CREATE TABLE depot (
    code    text PRIMARY KEY,
    manager integer UNIQUE
);
CREATE TABLE worker (
    id         integer PRIMARY KEY,
    depot_code text NOT NULL REFERENCES depot (code)
);
ALTER TABLE depot ADD CONSTRAINT depot_manager_fkey FOREIGN KEY (manager) REFERENCES worker (id);
