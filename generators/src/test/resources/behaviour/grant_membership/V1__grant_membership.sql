-- The auditor is granted SELECT on ledgers only, but it is also a member of pg_read_all_data:
-- it reads every table, which no ACL of those tables says.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pgprop_t_auditor') THEN
    CREATE ROLE pgprop_t_auditor NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
GRANT pg_read_all_data TO pgprop_t_auditor;
CREATE TABLE ledgers (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE salaries (id bigint PRIMARY KEY, cents bigint NOT NULL);
GRANT SELECT ON ledgers TO pgprop_t_auditor;
