-- An operator frees a night's lease: a stale one, or a live one when forced.
DELETE FROM audit.night_lease
WHERE export_date = %(night)s AND (%(force)s OR heartbeat_at < now() - make_interval(secs => %(stale)s))
RETURNING run_id
