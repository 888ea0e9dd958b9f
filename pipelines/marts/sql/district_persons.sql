-- Persons per district of a night, each at the residence of their winning
-- record (warehouse.person_winner, see ektp_coverage.sql).
DELETE FROM mart.district_persons WHERE export_date = %(night)s;

INSERT INTO mart.district_persons (export_date, district_code, persons)
SELECT %(night)s, district_code, count(*) FROM warehouse.person_winner GROUP BY district_code;
