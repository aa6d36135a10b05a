-- Nullable columns under CHECKs with edges (an IN list, a bound): EdgeProbesTest draws their rows by hand.
CREATE TABLE members (
    id     integer PRIMARY KEY,
    active integer CONSTRAINT members_active_flag CHECK (active IN (0, 1)),
    score  bigint CONSTRAINT members_score_cap CHECK (score <= 100)
);
