-- An event log partitioned by month (no default partition: a row outside 2026 has nowhere to
-- go), a list-partitioned table by region and a hash-partitioned table of counters.
CREATE TABLE streams (
    stream_id  uuid PRIMARY KEY,
    name       text NOT NULL CONSTRAINT streams_name_key UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE events (
    stream_id   uuid NOT NULL CONSTRAINT events_stream_fk REFERENCES streams (stream_id),
    seq         bigint NOT NULL CONSTRAINT events_seq_positive CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    kind        varchar(40) NOT NULL CONSTRAINT events_kind_format CHECK (kind ~ '^[a-z]+(\.[a-z]+)*$'),
    payload     jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT events_pkey PRIMARY KEY (stream_id, seq, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE events_2026_01 PARTITION OF events FOR VALUES FROM ('2026-01-01 00:00+00') TO ('2026-02-01 00:00+00');
CREATE TABLE events_2026_02 PARTITION OF events FOR VALUES FROM ('2026-02-01 00:00+00') TO ('2026-03-01 00:00+00');
CREATE TABLE events_2026_03 PARTITION OF events FOR VALUES FROM ('2026-03-01 00:00+00') TO ('2026-04-01 00:00+00');
CREATE TABLE events_2026_04 PARTITION OF events FOR VALUES FROM ('2026-04-01 00:00+00') TO ('2026-05-01 00:00+00');
CREATE TABLE events_2026_05 PARTITION OF events FOR VALUES FROM ('2026-05-01 00:00+00') TO ('2026-06-01 00:00+00');
CREATE TABLE events_2026_06 PARTITION OF events FOR VALUES FROM ('2026-06-01 00:00+00') TO ('2026-07-01 00:00+00');
CREATE TABLE events_2026_07 PARTITION OF events FOR VALUES FROM ('2026-07-01 00:00+00') TO ('2026-08-01 00:00+00');
CREATE TABLE events_2026_08 PARTITION OF events FOR VALUES FROM ('2026-08-01 00:00+00') TO ('2026-09-01 00:00+00');
CREATE TABLE events_2026_09 PARTITION OF events FOR VALUES FROM ('2026-09-01 00:00+00') TO ('2026-10-01 00:00+00');
CREATE TABLE events_2026_10 PARTITION OF events FOR VALUES FROM ('2026-10-01 00:00+00') TO ('2026-11-01 00:00+00');
CREATE TABLE events_2026_11 PARTITION OF events FOR VALUES FROM ('2026-11-01 00:00+00') TO ('2026-12-01 00:00+00');
CREATE TABLE events_2026_12 PARTITION OF events FOR VALUES FROM ('2026-12-01 00:00+00') TO ('2027-01-01 00:00+00');

CREATE INDEX events_kind_idx ON events (kind, occurred_at);

CREATE TABLE region_audit (
    audit_id bigint NOT NULL,
    region   text NOT NULL,
    actor    text NOT NULL,
    at       timestamp NOT NULL,
    CONSTRAINT region_audit_pkey PRIMARY KEY (audit_id, region)
) PARTITION BY LIST (region);

CREATE TABLE region_audit_eu PARTITION OF region_audit FOR VALUES IN ('eu-west', 'eu-central');
CREATE TABLE region_audit_us PARTITION OF region_audit FOR VALUES IN ('us-east', 'us-west');
CREATE TABLE region_audit_ap PARTITION OF region_audit FOR VALUES IN ('ap-south');

CREATE TABLE counters (
    name   text NOT NULL,
    bucket integer NOT NULL CONSTRAINT counters_bucket_range CHECK (bucket >= 0 AND bucket < 1440),
    value  bigint NOT NULL DEFAULT 0,
    CONSTRAINT counters_pkey PRIMARY KEY (name, bucket)
) PARTITION BY HASH (name);

CREATE TABLE counters_0 PARTITION OF counters FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE counters_1 PARTITION OF counters FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE counters_2 PARTITION OF counters FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE counters_3 PARTITION OF counters FOR VALUES WITH (MODULUS 4, REMAINDER 3);
