-- e-KTP recording coverage per desa for a night. Each human counts once, at the
-- residence of their winning record of the night; "wajib KTP" and "recorded"
-- are defined once, in warehouse.ektp_standing_night (migration 020).
DELETE FROM mart.ektp_coverage WHERE export_date = %(night)s;

INSERT INTO mart.ektp_coverage (export_date, district_code, kecamatan_code, desa_code, wajib_ktp, recorded)
SELECT export_date, district_code, kecamatan_code, desa_code,
       count(*) FILTER (WHERE wajib_ktp), count(*) FILTER (WHERE wajib_ktp AND recorded)
FROM warehouse.ektp_standing_night
WHERE export_date = %(night)s
GROUP BY export_date, district_code, kecamatan_code, desa_code;
