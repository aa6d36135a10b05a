-- Keys of every kind and constraints that overlap: composite and nullable unique keys, NULLS NOT
-- DISTINCT, partial and expression unique indexes, a deferrable unique key, a NOT VALID check,
-- and checks implied by other checks or by NOT NULL (PostgreSQL then names the other one).
CREATE TABLE accounts (
    account_id integer PRIMARY KEY,
    email      text NOT NULL,
    region     char(2),
    handle     varchar(20),
    deleted_at timestamptz,
    CONSTRAINT accounts_region_handle_key UNIQUE NULLS NOT DISTINCT (region, handle)
);

CREATE UNIQUE INDEX accounts_email_lower_idx ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_handle_live_idx ON accounts (handle) WHERE deleted_at IS NULL;

CREATE TABLE devices (
    account_id integer NOT NULL CONSTRAINT devices_account_fk REFERENCES accounts (account_id),
    serial     varchar(16) NOT NULL,
    slot       smallint,
    label      text,
    CONSTRAINT devices_pkey PRIMARY KEY (account_id, serial),
    CONSTRAINT devices_slot_key UNIQUE (account_id, slot) DEFERRABLE INITIALLY IMMEDIATE,
    CONSTRAINT devices_label_key UNIQUE (label)
);

CREATE TABLE quantities (
    id          integer PRIMARY KEY,
    a_qty_range integer NOT NULL CONSTRAINT a_qty_range CHECK (a_qty_range BETWEEN 1 AND 100),
    price       numeric(8, 2) NOT NULL CONSTRAINT quantities_price_present CHECK (price IS NOT NULL),
    discount    numeric(8, 2),
    note        text,
    CONSTRAINT b_qty_nonneg CHECK (a_qty_range >= 0),
    CONSTRAINT quantities_discount_below_price CHECK (discount < price)
);

ALTER TABLE quantities ADD CONSTRAINT quantities_note_short CHECK (length(note) <= 40) NOT VALID;
