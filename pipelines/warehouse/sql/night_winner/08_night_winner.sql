-- Every version of the night with its person (all of them, or those of the
-- touched persons), the winner of each person kept whole, in person order.
CREATE TEMP TABLE night_winner ON COMMIT DROP AS
SELECT DISTINCT ON (v.person_id COLLATE "C")
       %(night)s::date AS export_date, v.person_id, t.district_code, t.source_row, v.version_id, v.node_id,
       v.nik, v.no_kk, v.nama_lgkp, v.jenis_klmin, v.tmpt_lhr, v.tgl_lhr, v.gol_drh, v.agama, v.stat_kwn,
       v.stat_hbkel, v.pddk_akh, v.jenis_pkrjn, v.nama_lgkp_ibu, v.nama_lgkp_ayah, v.alamat, v.no_rt, v.no_rw,
       v.no_prop, v.no_kab, v.no_kec, v.no_kel, v.stat_hidup, v.ektp_current_status_code, v.ektp_created_date,
       v.tgl_entri, v.tgl_ubah, v.kecamatan_code, v.desa_code
FROM night_row t
JOIN (SELECT i.person_id, v.* FROM warehouse.record_version v JOIN warehouse.identity_node i USING (node_id)
      WHERE NOT %(touched)s
      UNION ALL SELECT * FROM touched_version WHERE %(touched)s) v USING (version_id)
ORDER BY v.person_id COLLATE "C", v.tgl_ubah DESC NULLS LAST, v.tgl_entri DESC NULLS LAST,
         t.district_code COLLATE "C", t.source_row;
