-- Deterministic identity tier. The match key is NIK + normalised name + birth
-- date: case, spacing and punctuation never split a person; a different name
-- or birth date under the same NIK (a NIK collision) stays a different person.
DELETE FROM staging.record_identity
WHERE load_id IN (SELECT load_id FROM staging.load WHERE export_date = %(night)s);
DELETE FROM staging.identity_key WHERE export_date = %(night)s;

CREATE TEMP TABLE night_key ON COMMIT DROP AS
SELECT s.load_id, s.source_row,
       s.nik || '|' || btrim(regexp_replace(upper(s.nama_lgkp), '[^A-Z0-9]+', ' ', 'g')) || '|' || s.tgl_lhr AS match_key
FROM staging.resident s JOIN staging.load l USING (load_id)
WHERE l.export_date = %(night)s AND l.status = 'staged';

-- Ids are minted in key order, so the same input always yields the same ids.
INSERT INTO staging.identity_key (export_date, match_key, person_id)
SELECT %(night)s, match_key, 'P' || lpad(nextval('warehouse.person_seq')::text, 10, '0')
FROM (SELECT DISTINCT k.match_key FROM night_key k
      WHERE NOT EXISTS (SELECT 1 FROM warehouse.identity_key w WHERE w.match_key = k.match_key)
      ORDER BY k.match_key) fresh;

INSERT INTO staging.record_identity (load_id, source_row, person_id)
SELECT k.load_id, k.source_row, coalesce(w.person_id, s.person_id)
FROM night_key k
LEFT JOIN warehouse.identity_key w USING (match_key)
LEFT JOIN staging.identity_key s USING (match_key);
