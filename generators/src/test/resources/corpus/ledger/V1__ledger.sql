-- Double-entry bookkeeping: accounts, journal entries and postings with exact numerics, money,
-- currencies as a char(3) code table, and a posting's sign tied to its side.
CREATE TABLE currencies (
    code      char(3) PRIMARY KEY CONSTRAINT currencies_code_format CHECK (code ~ '^[A-Z]{3}$'),
    minor     smallint NOT NULL CONSTRAINT currencies_minor_range CHECK (minor BETWEEN 0 AND 4),
    name      text NOT NULL
);

CREATE TABLE accounts (
    account_id bigint PRIMARY KEY,
    number     varchar(12) NOT NULL CONSTRAINT accounts_number_key UNIQUE
                 CONSTRAINT accounts_number_format CHECK (number ~ '^[0-9]{4}(-[0-9]{2,6})?$'),
    kind       text NOT NULL CONSTRAINT accounts_kind_valid CHECK (kind IN ('asset', 'liability', 'equity', 'income', 'expense')),
    currency   char(3) NOT NULL CONSTRAINT accounts_currency_fk REFERENCES currencies (code),
    overdraft  numeric(18, 4) NOT NULL DEFAULT 0 CONSTRAINT accounts_overdraft_nonneg CHECK (overdraft >= 0),
    opened_on  date NOT NULL
);

CREATE TABLE journal_entries (
    entry_id    bigint PRIMARY KEY,
    booked_at   timestamptz NOT NULL,
    value_date  date NOT NULL,
    memo        varchar(140),
    reverses_id bigint CONSTRAINT journal_entries_reverses_fk REFERENCES journal_entries (entry_id),
    CONSTRAINT journal_entries_reverses_other CHECK (reverses_id <> entry_id)
);

CREATE TABLE postings (
    entry_id   bigint NOT NULL CONSTRAINT postings_entry_fk REFERENCES journal_entries (entry_id),
    line       smallint NOT NULL CONSTRAINT postings_line_positive CHECK (line > 0),
    account_id bigint NOT NULL CONSTRAINT postings_account_fk REFERENCES accounts (account_id),
    side       char(1) NOT NULL CONSTRAINT postings_side_valid CHECK (side IN ('D', 'C')),
    amount     numeric(18, 4) NOT NULL CONSTRAINT postings_amount_positive CHECK (amount > 0),
    fx_rate    numeric(12, 6) NOT NULL DEFAULT 1 CONSTRAINT postings_fx_rate_range CHECK (fx_rate > 0 AND fx_rate < 1000000),
    CONSTRAINT postings_pkey PRIMARY KEY (entry_id, line)
);

CREATE TABLE fees (
    fee_id     integer PRIMARY KEY,
    account_id bigint NOT NULL CONSTRAINT fees_account_fk REFERENCES accounts (account_id),
    flat       money NOT NULL CONSTRAINT fees_flat_nonneg CHECK (flat >= 0::money),
    rate_bp    integer NOT NULL DEFAULT 0 CONSTRAINT fees_rate_bp_range CHECK (rate_bp BETWEEN 0 AND 10000),
    cap        money,
    CONSTRAINT fees_cap_covers_flat CHECK (cap IS NULL OR cap >= flat)
);

CREATE TABLE balances (
    account_id bigint NOT NULL CONSTRAINT balances_account_fk REFERENCES accounts (account_id),
    as_of      date NOT NULL,
    balance    numeric(20, 4) NOT NULL,
    CONSTRAINT balances_pkey PRIMARY KEY (account_id, as_of)
);
