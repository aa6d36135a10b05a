-- A multi-tenant SaaS application: every table is keyed by (tenant_id, id) and every foreign key
-- carries the tenant, so a row can only reference rows of its own tenant. Two schemas.
CREATE SCHEMA app;

CREATE TABLE app.tenants (
    tenant_id  uuid PRIMARY KEY,
    slug       varchar(30) NOT NULL CONSTRAINT tenants_slug_key UNIQUE
                 CONSTRAINT tenants_slug_format CHECK (slug ~ '^[a-z][a-z0-9-]{2,29}$'),
    plan       text NOT NULL DEFAULT 'free' CONSTRAINT tenants_plan_valid CHECK (plan IN ('free', 'team', 'enterprise')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app.users (
    tenant_id uuid NOT NULL CONSTRAINT users_tenant_fk REFERENCES app.tenants (tenant_id) ON DELETE CASCADE,
    user_id   integer NOT NULL,
    email     varchar(120) NOT NULL,
    role      text NOT NULL CONSTRAINT users_role_valid CHECK (role = ANY (ARRAY['owner', 'admin', 'member', 'guest'])),
    CONSTRAINT users_pkey PRIMARY KEY (tenant_id, user_id),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email)
);

CREATE TABLE app.projects (
    tenant_id  uuid NOT NULL,
    project_id integer NOT NULL,
    name       varchar(80) NOT NULL CONSTRAINT projects_name_length CHECK (char_length(name) BETWEEN 1 AND 80),
    owner_id   integer NOT NULL,
    archived   boolean NOT NULL DEFAULT false,
    CONSTRAINT projects_pkey PRIMARY KEY (tenant_id, project_id),
    CONSTRAINT projects_owner_fk FOREIGN KEY (tenant_id, owner_id) REFERENCES app.users (tenant_id, user_id)
);

CREATE TABLE app.tasks (
    tenant_id   uuid NOT NULL,
    task_id     bigint NOT NULL,
    project_id  integer NOT NULL,
    assignee_id integer,
    title       text NOT NULL,
    priority    smallint NOT NULL DEFAULT 3 CONSTRAINT tasks_priority_range CHECK (priority >= 1 AND priority <= 5),
    estimate_h  numeric(6, 1) CONSTRAINT tasks_estimate_nonneg CHECK (estimate_h >= 0),
    done_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_pkey PRIMARY KEY (tenant_id, task_id),
    CONSTRAINT tasks_project_fk FOREIGN KEY (tenant_id, project_id) REFERENCES app.projects (tenant_id, project_id),
    CONSTRAINT tasks_assignee_fk FOREIGN KEY (tenant_id, assignee_id) REFERENCES app.users (tenant_id, user_id),
    CONSTRAINT tasks_done_after_created CHECK (done_at IS NULL OR done_at >= created_at)
);

CREATE TABLE app.memberships (
    tenant_id  uuid NOT NULL,
    project_id integer NOT NULL,
    user_id    integer NOT NULL,
    CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, project_id, user_id),
    CONSTRAINT memberships_project_fk FOREIGN KEY (tenant_id, project_id) REFERENCES app.projects (tenant_id, project_id),
    CONSTRAINT memberships_user_fk FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, user_id)
);

CREATE TABLE public.billing_events (
    event_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  uuid NOT NULL CONSTRAINT billing_events_tenant_fk REFERENCES app.tenants (tenant_id),
    kind       varchar(20) NOT NULL CONSTRAINT billing_events_kind_valid CHECK (kind IN ('invoice', 'refund', 'credit')),
    cents      bigint NOT NULL CONSTRAINT billing_events_cents_nonzero CHECK (cents <> 0),
    at         timestamptz NOT NULL
);
