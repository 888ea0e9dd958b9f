-- Persons per district of a night, each at the residence of their winning
-- record (temp table night_winner, see ektp_coverage.sql).
DELETE FROM mart.district_persons WHERE export_date = %(night)s;

INSERT INTO mart.district_persons (export_date, district_code, persons)
SELECT export_date, district_code, count(*) FROM night_winner GROUP BY export_date, district_code;
