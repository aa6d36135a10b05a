-- pgprop's Supabase preset: a faithful minimal shim of what Supabase migrations assume, created
-- before them. Roles are global to a cluster: each is created when missing and given the
-- attributes Supabase gives it.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      ('anon', 'NOLOGIN NOINHERIT'),
      ('authenticated', 'NOLOGIN NOINHERIT'),
      ('service_role', 'NOLOGIN NOINHERIT BYPASSRLS'),
      ('supabase_auth_admin', 'NOLOGIN NOINHERIT CREATEROLE'),
      ('authenticator', 'NOLOGIN NOINHERIT')) AS wanted(name, options)
  LOOP
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
        EXECUTE format('CREATE ROLE %I %s', r.name, r.options);
      ELSE
        EXECUTE format('ALTER ROLE %I %s', r.name, r.options);
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation OR internal_error THEN
      NULL; -- another database of this cluster created it at the same moment
    END;
  END LOOP;
  BEGIN
    GRANT anon, authenticated, service_role TO authenticator;
  EXCEPTION WHEN duplicate_object OR unique_violation OR internal_error THEN
    NULL;
  END;
END
$$;

CREATE SCHEMA IF NOT EXISTS extensions;
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA extensions;
  CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
EXCEPTION WHEN undefined_file OR feature_not_supported THEN
  NULL; -- contrib is not installed: gen_random_uuid() is built in, uuid_generate_v4() is then missing
END
$$;

CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION supabase_auth_admin;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;

-- auth.users with the columns applications use (GoTrue owns the rest)
CREATE TABLE auth.users (
    instance_id         uuid,
    id                  uuid NOT NULL PRIMARY KEY,
    aud                 varchar(255),
    role                varchar(255),
    email               varchar(255),
    encrypted_password  varchar(255),
    email_confirmed_at  timestamptz,
    invited_at          timestamptz,
    confirmation_sent_at timestamptz,
    recovery_sent_at    timestamptz,
    last_sign_in_at     timestamptz,
    raw_app_meta_data   jsonb,
    raw_user_meta_data  jsonb,
    is_super_admin      boolean,
    created_at          timestamptz,
    updated_at          timestamptz,
    phone               text DEFAULT NULL CONSTRAINT users_phone_key UNIQUE,
    phone_confirmed_at  timestamptz,
    banned_until        timestamptz,
    is_sso_user         boolean NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    is_anonymous        boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX users_email_partial_key ON auth.users (email) WHERE (is_sso_user = false);
ALTER TABLE auth.users OWNER TO supabase_auth_admin;
GRANT ALL ON auth.users TO supabase_auth_admin;

-- the claims as PostgREST sets them: request.jwt.claims (JSON), and the older request.jwt.claim.<name>
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
$$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;
ALTER FUNCTION auth.uid() OWNER TO supabase_auth_admin;
ALTER FUNCTION auth.role() OWNER TO supabase_auth_admin;
ALTER FUNCTION auth.email() OWNER TO supabase_auth_admin;
ALTER FUNCTION auth.jwt() OWNER TO supabase_auth_admin;
GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt() TO anon, authenticated, service_role;

-- the default grants Supabase gives on schema public: the API roles reach every object; RLS guards rows
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
