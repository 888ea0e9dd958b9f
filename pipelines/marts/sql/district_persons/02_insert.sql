INSERT INTO mart.district_persons (export_date, district_code, persons)
SELECT %(night)s, district_code, count(*) FROM warehouse.person_winner GROUP BY district_code;
