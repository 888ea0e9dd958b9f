-- Its row count and the join key: the other columns' statistics guide no plan,
-- and gathering them for every column of a wide table cost seconds.
ANALYZE touched_version (version_id);
