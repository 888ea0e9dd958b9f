-- A step of the run holding the night is still at work.
UPDATE audit.night_lease SET heartbeat_at = now() WHERE export_date = %(night)s AND run_id = %(run_id)s
