-- Replace one district-night with a staged load (runs inside the night's
-- publish transaction, so readers see the old night or the new one, never half).
DELETE FROM warehouse.resident_record WHERE export_date = %(night)s AND district_code = %(district)s;
DELETE FROM quarantine.record WHERE export_date = %(night)s AND district_code = %(district)s;
DELETE FROM audit.rule_count WHERE export_date = %(night)s AND district_code = %(district)s;
DELETE FROM audit.validation_result WHERE export_date = %(night)s AND district_code = %(district)s;

INSERT INTO warehouse.resident_record (
    export_date, district_code, source_row, nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr,
    gol_drh, agama, stat_kwn, stat_hbkel, pddk_akh, jenis_pkrjn, nama_lgkp_ibu, nama_lgkp_ayah, alamat,
    no_rt, no_rw, no_prop, no_kab, no_kec, no_kel, stat_hidup, ektp_current_status_code,
    ektp_created_date, tgl_entri, tgl_ubah)
SELECT %(night)s, %(district)s, source_row, nik, no_kk, nama_lgkp, jenis_klmin, tmpt_lhr, tgl_lhr,
       gol_drh, agama, stat_kwn, stat_hbkel, pddk_akh, jenis_pkrjn, nama_lgkp_ibu, nama_lgkp_ayah, alamat,
       no_rt, no_rw, no_prop, no_kab, no_kec, no_kel, stat_hidup, ektp_current_status_code,
       ektp_created_date, tgl_entri, tgl_ubah
FROM staging.resident WHERE load_id = %(load_id)s;

INSERT INTO warehouse.record_identity (export_date, district_code, source_row, nik, person_id)
SELECT %(night)s, %(district)s, s.source_row, s.nik, i.person_id
FROM staging.resident s JOIN staging.record_identity i USING (load_id, source_row)
WHERE s.load_id = %(load_id)s;

INSERT INTO quarantine.record (export_date, district_code, source_row, file_sha256, reasons, raw_row)
SELECT %(night)s, %(district)s, q.source_row, l.file_sha256, q.reasons, q.raw_row
FROM staging.quarantine q JOIN staging.load l USING (load_id)
WHERE q.load_id = %(load_id)s;

INSERT INTO audit.rule_count (export_date, district_code, rule, severity, rows)
SELECT %(night)s, %(district)s, r->>'rule', r->>'severity', (r->>'rows')::int
FROM staging.load, jsonb_array_elements(rule_counts) r
WHERE load_id = %(load_id)s;

INSERT INTO audit.validation_result (export_date, district_code, result)
SELECT %(night)s, %(district)s, validation_result
FROM staging.load WHERE load_id = %(load_id)s AND validation_result IS NOT NULL;
