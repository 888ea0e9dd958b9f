-- Every lease held, with its heartbeat's age in seconds (for operators).
SELECT export_date, run_id, acquired_at, extract(epoch FROM now() - heartbeat_at)::int
FROM audit.night_lease ORDER BY export_date
