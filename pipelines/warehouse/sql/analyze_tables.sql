-- ANALYZE for a login that does not own the tables (migration 160).
SELECT warehouse.analyze_tables(%(tables)s)
