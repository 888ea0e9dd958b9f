-- Province coverage of the last N nights up to the night, oldest first.
SELECT export_date, wajib_ktp, recorded
FROM (SELECT * FROM mart.ektp_coverage_province WHERE export_date <= %(night)s
      ORDER BY export_date DESC LIMIT %(nights)s) recent
ORDER BY export_date;
