-- Tonight's staged records with the node each belongs to. The node id hashes
-- the identifying attributes exactly as exported: unchanged records find their
-- node (and person) by an index lookup, only new or changed ones are matched.
-- A batch of a million new nodes is read sorted: with the default work_mem
-- that sort spills to disk (a third slower at 1 M).
SET LOCAL work_mem = '512MB';
CREATE TEMP TABLE night_record ON COMMIT DROP AS
SELECT s.load_id, s.source_row, l.district_code,
       warehouse.node_id_of(s.nik, s.no_kk, s.nama_lgkp, s.jenis_klmin, s.tmpt_lhr, s.tgl_lhr, s.nama_lgkp_ibu,
                            s.nama_lgkp_ayah) AS node_id,
       s.nik, s.no_kk, s.nama_lgkp, s.jenis_klmin, s.tmpt_lhr, s.tgl_lhr, s.nama_lgkp_ibu, s.nama_lgkp_ayah,
       s.alamat, s.no_prop, s.no_kab, s.no_kec, s.no_kel
FROM staging.resident s JOIN staging.load l USING (load_id)
WHERE l.export_date = %(night)s AND l.status = 'staged';
ANALYZE night_record;

-- The export listing each node tonight (the twin guard compares these), and
-- its birth year (0: none), by which a big night's new nodes are batched.
-- Neither temp table has an index yet (night_node gets its own once the new
-- nodes are laid out, resolve.py): with indexes, the planner walked 12.9 M
-- temp rows in node order, a random read each through the session's few temp
-- buffers (68 s here, 260 s joining the two for the new nodes).
CREATE TEMP TABLE night_node ON COMMIT DROP AS
SELECT r.node_id, r.export_key, w.node_id IS NULL AS is_new, r.birth_year
FROM (SELECT node_id, min(district_code) AS export_key, coalesce(extract(year FROM min(tgl_lhr))::int, 0) AS birth_year
      FROM night_record GROUP BY node_id) r
LEFT JOIN warehouse.identity_node w USING (node_id);
ANALYZE night_node;
