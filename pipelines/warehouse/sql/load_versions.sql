-- The load's file as versions in row order, the versions changed since the
-- previous night, and the rows' digests (kept with the night, migration 070).
UPDATE staging.load SET version_ids = %(rows)s::bigint[], changed_version_ids = %(changed)s::bigint[],
                        row_hashes = %(digests)s
WHERE load_id = %(load_id)s
