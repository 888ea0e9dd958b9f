ANALYZE night_row;
