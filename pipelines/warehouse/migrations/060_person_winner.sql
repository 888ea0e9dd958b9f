-- The marts count every person once a night at their winning record. Finding
-- the winners of a whole province reads every record of the night (about two
-- minutes at 12.9 M), although an ordinary night changes ~1% of them. So the
-- winners are kept: publish replaces the rows of the persons it touches, and
-- the marts count this table when it holds exactly their night
-- (pipelines/marts/__init__.py). Only what the marts count is kept.
CREATE TABLE warehouse.person_winner (
    person_id text PRIMARY KEY,
    district_code text NOT NULL,
    kecamatan_code text NOT NULL,
    desa_code text NOT NULL,
    stat_hidup text NOT NULL,
    tgl_lhr date NOT NULL,
    stat_kwn text,
    ektp_current_status_code text NOT NULL
);

-- The night warehouse.person_winner holds (its districts are those
-- warehouse.night_record lists that night: only publish writes either, and a
-- publish that cannot bring the table along removes this row). No row: it
-- holds no night the marts may trust (a night was published out of order, or
-- no night was published since this migration).
CREATE TABLE warehouse.person_winner_night (
    single boolean PRIMARY KEY DEFAULT true CHECK (single),
    night date NOT NULL
);
