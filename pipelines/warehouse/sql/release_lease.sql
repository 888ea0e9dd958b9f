-- The run gives its night back.
DELETE FROM audit.night_lease WHERE export_date = %(night)s AND run_id = %(run_id)s
