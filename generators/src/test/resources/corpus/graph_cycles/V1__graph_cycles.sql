-- A graph whose foreign keys form cycles: every graph has a NOT NULL root node and every node
-- belongs to a graph (broken only by a deferred constraint, checked at commit); users, teams and
-- their lead form a three-table cycle broken through a nullable column.
CREATE TABLE graphs (
    graph_id     integer PRIMARY KEY,
    name         text NOT NULL,
    root_node_id integer NOT NULL
);

CREATE TABLE nodes (
    node_id  integer PRIMARY KEY,
    graph_id integer NOT NULL CONSTRAINT nodes_graph_fk REFERENCES graphs (graph_id) DEFERRABLE INITIALLY DEFERRED,
    label    varchar(32) NOT NULL,
    weight   double precision NOT NULL DEFAULT 1 CONSTRAINT nodes_weight_finite CHECK (weight > '-Infinity' AND weight < 'Infinity')
);

ALTER TABLE graphs ADD CONSTRAINT graphs_root_fk FOREIGN KEY (root_node_id) REFERENCES nodes (node_id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE edges (
    from_id integer NOT NULL CONSTRAINT edges_from_fk REFERENCES nodes (node_id),
    to_id   integer NOT NULL CONSTRAINT edges_to_fk REFERENCES nodes (node_id),
    cost    numeric(8, 3) NOT NULL CONSTRAINT edges_cost_nonneg CHECK (cost >= 0),
    CONSTRAINT edges_pkey PRIMARY KEY (from_id, to_id),
    CONSTRAINT edges_no_loop CHECK (from_id <> to_id)
);

CREATE TABLE teams (
    team_id integer PRIMARY KEY,
    name    text NOT NULL CONSTRAINT teams_name_key UNIQUE,
    lead_id integer
);

CREATE TABLE members (
    member_id integer PRIMARY KEY,
    team_id   integer NOT NULL CONSTRAINT members_team_fk REFERENCES teams (team_id),
    handle    varchar(20) NOT NULL CONSTRAINT members_handle_key UNIQUE
);

CREATE TABLE leads (
    member_id integer PRIMARY KEY CONSTRAINT leads_member_fk REFERENCES members (member_id),
    since     date NOT NULL
);

ALTER TABLE teams ADD CONSTRAINT teams_lead_fk FOREIGN KEY (lead_id) REFERENCES leads (member_id);
