INSERT INTO warehouse.nik_collision (nik, first_night)
SELECT DISTINCT nik, first_night FROM staging.nik_collision WHERE first_night = %(night)s
ON CONFLICT DO NOTHING;
