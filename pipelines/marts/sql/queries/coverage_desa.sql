-- The night's coverage per desa: the drill-down reads this once and sums upwards.
SELECT district_code, kecamatan_code, desa_code, wajib_ktp, recorded
FROM mart.ektp_coverage
WHERE export_date = %(night)s
ORDER BY desa_code;
