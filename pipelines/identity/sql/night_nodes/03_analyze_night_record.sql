ANALYZE night_record;
