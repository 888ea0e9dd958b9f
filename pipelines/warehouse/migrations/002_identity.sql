-- Single identity (issue 4): nodes, links, review queue, redirects, residence.

-- One distinct set of identifying attributes (NIK, KK, name, sex, birth place
-- and date, parents), with the features matching compares. node_id is the md5
-- of those attributes as exported, so a record exported again unchanged finds
-- its node (and person) without any matching.
CREATE TABLE warehouse.identity_node (
    node_id text PRIMARY KEY,
    person_id text NOT NULL,
    nik text, no_kk text, name_key text, name_skel text, first_skel text, initials text,
    sex text, dob date, birth_year int, place_key text, mother_key text, mother_skel text,
    father_key text, nik_region text, nik_birth text, nik_sex text, nik_serial text,
    first_night date NOT NULL
);
CREATE INDEX identity_node_person ON warehouse.identity_node (person_id);
-- One index per blocking rule (pipelines/identity/model.py): an ordinary night
-- fetches only the known nodes that could pair with its new ones.
CREATE INDEX identity_node_nik ON warehouse.identity_node (nik);
CREATE INDEX identity_node_dob_first ON warehouse.identity_node (dob, first_skel);
CREATE INDEX identity_node_dob_mother ON warehouse.identity_node (dob, mother_skel);
CREATE INDEX identity_node_name_year ON warehouse.identity_node (name_skel, birth_year);
CREATE INDEX identity_node_name_nikbirth ON warehouse.identity_node (name_skel, nik_birth);
CREATE INDEX identity_node_name_mother ON warehouse.identity_node (name_skel, mother_skel);

CREATE TABLE staging.identity_node (LIKE warehouse.identity_node);
ALTER TABLE staging.identity_node ADD COLUMN export_date date NOT NULL;

-- Known nodes given another person tonight (the smaller parts of a split).
CREATE TABLE staging.node_person (
    export_date date NOT NULL,
    node_id text PRIMARY KEY,
    person_id text NOT NULL
);

-- The pairs that joined nodes into persons: a split re-clusters from these.
CREATE TABLE warehouse.identity_link (
    node_l text NOT NULL,
    node_r text NOT NULL,
    match_weight double precision NOT NULL,
    rule text NOT NULL,  -- 'same_nik' (deterministic tier) or 'splink' (probabilistic)
    night date NOT NULL,
    PRIMARY KEY (node_l, node_r)
);
CREATE INDEX identity_link_r ON warehouse.identity_link (node_r);
CREATE TABLE staging.identity_link (LIKE warehouse.identity_link);

-- A merge keeps the oldest id; the others point here. Ids are never reused.
CREATE TABLE warehouse.person_redirect (
    old_id text PRIMARY KEY,
    new_id text NOT NULL,
    night date NOT NULL,
    reason text NOT NULL
);
CREATE TABLE staging.person_redirect (LIKE warehouse.person_redirect);

-- Uncertain pairs left apart, with why (match weight per comparison), and the
-- reviewer's verdict, honoured every later night.
CREATE TABLE warehouse.identity_review (
    node_l text NOT NULL,
    node_r text NOT NULL,
    person_l text NOT NULL,
    person_r text NOT NULL,
    match_weight double precision NOT NULL,
    weights jsonb NOT NULL,
    night date NOT NULL,
    decision text CHECK (decision IN ('same', 'different')),
    reviewer text,
    decided_at timestamptz,
    applied_night date,  -- the night that first acted on the decision
    PRIMARY KEY (node_l, node_r)
);
CREATE INDEX identity_review_open ON warehouse.identity_review (night) WHERE decision IS NULL;
CREATE TABLE staging.identity_review (LIKE warehouse.identity_review);

-- NIKs found to be held by two or more different people: kept apart, flagged.
CREATE TABLE warehouse.nik_collision (
    nik text PRIMARY KEY,
    first_night date NOT NULL
);
CREATE TABLE staging.nik_collision (LIKE warehouse.nik_collision);

-- Where each person lived when: a move between districts closes one row and
-- opens the next.
CREATE TABLE warehouse.person_residence (
    person_id text NOT NULL,
    district_code text NOT NULL,
    kecamatan_code text NOT NULL,
    desa_code text NOT NULL,
    valid_from date NOT NULL,
    valid_to date,  -- NULL: current
    PRIMARY KEY (person_id, valid_from)
);
CREATE UNIQUE INDEX person_residence_current ON warehouse.person_residence (person_id) WHERE valid_to IS NULL;
