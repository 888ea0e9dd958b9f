-- Wajib-KTP residents of a district not yet recorded on a night, in walking
-- order (desa, RW, RT, address). Reads only the masked view field officers
-- are granted, so it runs under the field_officer role.
SELECT kecamatan_code, desa_code, nama_lgkp, alamat, no_rt, no_rw, umur, nik_masked, ektp_current_status_code
FROM fieldwork.ektp_worklist
WHERE export_date = %(night)s AND district_code = %(district)s
ORDER BY kecamatan_code, desa_code, no_rw, no_rt, alamat, nama_lgkp;
