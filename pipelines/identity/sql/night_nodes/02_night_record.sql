CREATE TEMP TABLE night_record ON COMMIT DROP AS
SELECT s.load_id, s.source_row, l.district_code,
       warehouse.node_id_of(s.nik, s.no_kk, s.nama_lgkp, s.jenis_klmin, s.tmpt_lhr, s.tgl_lhr, s.nama_lgkp_ibu,
                            s.nama_lgkp_ayah) AS node_id,
       s.nik, s.no_kk, s.nama_lgkp, s.jenis_klmin, s.tmpt_lhr, s.tgl_lhr, s.nama_lgkp_ibu, s.nama_lgkp_ayah,
       s.alamat, s.no_prop, s.no_kab, s.no_kec, s.no_kel
FROM staging.resident s JOIN staging.load l USING (load_id)
WHERE l.export_date = %(night)s AND l.status = 'staged';
