-- Build again the indexes set aside, from the migrations' own definitions (migration 160).
SELECT warehouse.restore_indexes(%(tables)s)
