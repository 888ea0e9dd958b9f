-- A staged load's new or changed rows as versions; a version written by a run
-- that died before publishing is found again, not written twice.
INSERT INTO warehouse.record_version (
    district_code, row_hash, occurrence, first_night, source_row, node_id,
    nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr, gol_drh, agama, stat_kwn, stat_hbkel, pddk_akh,
    jenis_pkrjn, nama_lgkp_ibu, nama_lgkp_ayah, alamat, no_rt, no_rw, no_prop, no_kab, no_kec, no_kel,
    stat_hidup, ektp_current_status_code, ektp_created_date, tgl_entri, tgl_ubah)
SELECT %(district)s, row_hash, occurrence, %(night)s, source_row,
       warehouse.node_id_of(nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr, nama_lgkp_ibu,
                            nama_lgkp_ayah),
       nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr, gol_drh, agama, stat_kwn, stat_hbkel,
       pddk_akh, jenis_pkrjn, nama_lgkp_ibu, nama_lgkp_ayah, alamat, no_rt, no_rw, no_prop, no_kab,
       no_kec, no_kel, stat_hidup, ektp_current_status_code, ektp_created_date, tgl_entri, tgl_ubah
FROM staging.resident s WHERE load_id = %(load_id)s
  AND NOT EXISTS (SELECT FROM warehouse.record_version v WHERE v.district_code = %(district)s
                  AND v.row_hash = s.row_hash AND v.occurrence = s.occurrence)
