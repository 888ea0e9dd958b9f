-- Take or renew a night's lease (pipelines/lease.py): when it is free, ours,
-- or its heartbeat is older than the stale time (its run died).
INSERT INTO audit.night_lease AS l (export_date, run_id) VALUES (%(night)s, %(run_id)s)
ON CONFLICT (export_date) DO UPDATE
    SET run_id = EXCLUDED.run_id, heartbeat_at = now(),
        acquired_at = CASE WHEN l.run_id = EXCLUDED.run_id THEN l.acquired_at ELSE now() END
    WHERE l.run_id = EXCLUDED.run_id OR l.heartbeat_at < now() - make_interval(secs => %(stale)s)
RETURNING run_id
