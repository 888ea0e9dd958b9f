-- Each person's winning record of a night, into temp table night_winner: the
-- rule of warehouse.person_night (the record changed last wins; then district
-- and row), planned for a whole province. The view unnests each night's
-- version list where the planner cannot count it; here the rows are unnested
-- once into a table it can, joined by hash, and persons sort in byte order.
-- With %(touched)s, only the persons in temp table touched_person (an
-- ordinary night's golden records), found from their versions, not the night.
SET LOCAL work_mem = '1GB';
CREATE TEMP TABLE IF NOT EXISTS touched_person (person_id text) ON COMMIT DROP;
DROP TABLE IF EXISTS touched_version, night_row, night_winner;  -- an earlier night in this transaction
CREATE TEMP TABLE touched_version ON COMMIT DROP AS
SELECT DISTINCT v.version_id
FROM touched_person t JOIN warehouse.identity_node i USING (person_id) JOIN warehouse.record_version v USING (node_id)
WHERE %(touched)s;
ANALYZE touched_version;

CREATE TEMP TABLE night_row ON COMMIT DROP AS
SELECT n.district_code, r.source_row::int AS source_row, r.version_id
FROM warehouse.night_record n CROSS JOIN LATERAL unnest(n.version_ids) WITH ORDINALITY AS r(version_id, source_row)
WHERE n.export_date = %(night)s AND r.version_id IS NOT NULL
  AND (NOT %(touched)s OR r.version_id IN (SELECT version_id FROM touched_version));
ANALYZE night_row;

CREATE TEMP TABLE night_winner ON COMMIT DROP AS
SELECT %(night)s::date AS export_date, w.person_id, w.district_code, w.source_row, v.version_id, v.node_id,
       v.nik, v.no_kk, v.nama_lgkp, v.jenis_klmin, v.tmpt_lhr, v.tgl_lhr, v.gol_drh, v.agama, v.stat_kwn,
       v.stat_hbkel, v.pddk_akh, v.jenis_pkrjn, v.nama_lgkp_ibu, v.nama_lgkp_ayah, v.alamat, v.no_rt, v.no_rw,
       v.no_prop, v.no_kab, v.no_kec, v.no_kel, v.stat_hidup, v.ektp_current_status_code, v.ektp_created_date,
       v.tgl_entri, v.tgl_ubah, v.kecamatan_code, v.desa_code
FROM (SELECT DISTINCT ON (i.person_id COLLATE "C") i.person_id, t.district_code, t.source_row, t.version_id
      FROM night_row t JOIN warehouse.record_version v USING (version_id)
      JOIN warehouse.identity_node i ON i.node_id = v.node_id
      ORDER BY i.person_id COLLATE "C", v.tgl_ubah DESC NULLS LAST, v.tgl_entri DESC NULLS LAST,
               t.district_code COLLATE "C", t.source_row) w
JOIN warehouse.record_version v USING (version_id);
ANALYZE night_winner;
