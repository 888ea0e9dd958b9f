-- analyst.person showed a NIK's first and last 4 digits with the birth date,
-- sex and kecamatan: the hidden middle is exactly kecamatan + birth date (+40
-- for women), and the whole NIK could be rebuilt for about 9 persons in 10.
-- Now: only the first 4 digits (the district, shown anyway), the birth year
-- instead of the date, and for joining a keyed pseudonym of the NIK, which
-- cannot be recomputed without the key (tests/test_masking.py tries).

-- The key of the pseudonyms: random, per database, readable by the owner only
-- (the views below read it with the owner's rights). Rotating it changes every
-- pseudonym.
CREATE TABLE audit.pseudonym_key (key text NOT NULL);
INSERT INTO audit.pseudonym_key
SELECT encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex');
REVOKE ALL ON audit.pseudonym_key FROM etl_writer, PUBLIC;

CREATE OR REPLACE FUNCTION analyst.mask_nik(nik text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
    RETURN left(nik, 4) || repeat('*', greatest(length(nik) - 4, 0));

-- Inline, not a function: a function analyst could call would let them hash
-- every candidate NIK and compare.
DROP VIEW analyst.record_identity;
DROP VIEW analyst.person;

CREATE VIEW analyst.person AS
SELECT p.person_id, analyst.mask_nik(p.nik) AS nik_masked,
       encode(sha256(convert_to(k.key || p.nik, 'UTF8')), 'hex') AS nik_pseudonym,
       date_part('year', p.tgl_lhr)::int AS birth_year, p.jenis_klmin, p.stat_kwn, p.stat_hidup, p.ektp_status,
       p.district_code, p.kecamatan_code, p.desa_code, p.first_seen, p.last_seen, p.delisted_on
FROM warehouse.person p CROSS JOIN audit.pseudonym_key k;

CREATE VIEW analyst.record_identity AS
SELECT r.export_date, r.district_code, r.source_row, analyst.mask_nik(r.nik) AS nik_masked,
       encode(sha256(convert_to(k.key || r.nik, 'UTF8')), 'hex') AS nik_pseudonym, r.person_id
FROM warehouse.record_identity r CROSS JOIN audit.pseudonym_key k;

GRANT SELECT ON analyst.person, analyst.record_identity TO analyst;
