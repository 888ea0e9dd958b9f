-- Drop the tables' secondary indexes (and keys when asked) for a bulk fill (migration 160).
SELECT warehouse.set_indexes_aside(%(tables)s, %(keys)s)
