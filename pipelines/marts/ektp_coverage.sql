-- e-KTP recording coverage per desa for a night. Each human counts once, at the
-- residence of their winning record of the night (warehouse.person_night).
-- Wajib KTP: alive and aged 17 or more at the night, or younger and ever married.
DELETE FROM mart.ektp_coverage WHERE export_date = %(night)s;

INSERT INTO mart.ektp_coverage (export_date, district_code, kecamatan_code, desa_code, wajib_ktp, recorded)
SELECT export_date, district_code, kecamatan_code, desa_code,
       count(*) FILTER (WHERE wajib),
       count(*) FILTER (WHERE wajib AND ektp_current_status_code::int >= 3)
FROM (
    SELECT export_date, district_code, kecamatan_code, desa_code, ektp_current_status_code,
           stat_hidup = '1' AND (tgl_lhr <= (%(night)s::date - interval '17 years') OR stat_kwn <> '1') AS wajib
    FROM warehouse.person_night
    WHERE export_date = %(night)s
) night_residents
GROUP BY export_date, district_code, kecamatan_code, desa_code;
