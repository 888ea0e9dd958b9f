-- The coverage mart's wajib-KTP residents of the province against the humans
-- the truth knows among the night's records (pg_temp.truth: record -> human),
-- each counted once if any of their records is wajib KTP.
SELECT (SELECT sum(wajib_ktp) FROM mart.ektp_coverage WHERE export_date = %(night)s),
       count(DISTINCT t.true_person_id)
           FILTER (WHERE warehouse.wajib_ktp(r.stat_hidup, r.tgl_lhr, r.stat_kwn, %(night)s))
FROM warehouse.resident_record r
JOIN pg_temp.truth t ON t.district_code = r.district_code AND t.source_row = r.source_row
WHERE r.export_date = %(night)s
