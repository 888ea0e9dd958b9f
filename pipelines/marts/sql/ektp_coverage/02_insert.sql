INSERT INTO mart.ektp_coverage (export_date, district_code, kecamatan_code, desa_code, wajib_ktp, recorded)
SELECT %(night)s, district_code, kecamatan_code, desa_code,
       count(*) FILTER (WHERE wajib),
       count(*) FILTER (WHERE wajib AND warehouse.ektp_recorded(ektp_current_status_code))
FROM (SELECT *, warehouse.wajib_ktp(stat_hidup, tgl_lhr, stat_kwn, %(night)s) AS wajib
      FROM warehouse.person_winner) w
GROUP BY district_code, kecamatan_code, desa_code;
