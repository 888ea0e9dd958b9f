-- Before a run: the last load and attempt already recorded, so that what the
-- run records after them is told apart from earlier runs' (see pipelines/console.py).
SELECT (SELECT coalesce(max(load_id), 0) FROM staging.load),
       (SELECT coalesce(max(attempt_id), 0) FROM audit.load_attempt);
