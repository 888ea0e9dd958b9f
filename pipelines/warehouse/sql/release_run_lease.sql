-- A failed run gives back whatever night it holds.
DELETE FROM audit.night_lease WHERE run_id = %(run_id)s
