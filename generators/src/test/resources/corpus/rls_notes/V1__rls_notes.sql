-- Notes protected by row-level security: each owner sees their notes and the notes shared with
-- them. The policies read the session setting app.user_id.
CREATE TABLE accounts (
    account_id bigint PRIMARY KEY,
    handle     varchar(30) NOT NULL CONSTRAINT accounts_handle_key UNIQUE
                 CONSTRAINT accounts_handle_format CHECK (handle ~ '^[a-z0-9_]{3,30}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notes (
    note_id    bigint PRIMARY KEY,
    owner_id   bigint NOT NULL CONSTRAINT notes_owner_fk REFERENCES accounts (account_id),
    title      varchar(120) NOT NULL CONSTRAINT notes_title_not_blank CHECK (btrim(title) <> ''),
    body       text NOT NULL DEFAULT '',
    pinned     boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL
);

CREATE TABLE shares (
    note_id    bigint NOT NULL CONSTRAINT shares_note_fk REFERENCES notes (note_id) ON DELETE CASCADE,
    account_id bigint NOT NULL CONSTRAINT shares_account_fk REFERENCES accounts (account_id),
    can_edit   boolean NOT NULL DEFAULT false,
    CONSTRAINT shares_pkey PRIMARY KEY (note_id, account_id)
);

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE shares ENABLE ROW LEVEL SECURITY;

CREATE POLICY notes_owner ON notes
    USING (owner_id = nullif(current_setting('app.user_id', true), '')::bigint);
CREATE POLICY notes_shared ON notes FOR SELECT
    USING (EXISTS (SELECT 1 FROM shares s WHERE s.note_id = notes.note_id
                   AND s.account_id = nullif(current_setting('app.user_id', true), '')::bigint));
CREATE POLICY shares_visible ON shares FOR SELECT
    USING (account_id = nullif(current_setting('app.user_id', true), '')::bigint);
