-- Which run holds the night's lease with a live heartbeat.
SELECT run_id FROM audit.night_lease
WHERE export_date = %(night)s AND heartbeat_at >= now() - make_interval(secs => %(stale)s)
