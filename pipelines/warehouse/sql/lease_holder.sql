-- Which run holds the night's lease, live or not.
SELECT run_id FROM audit.night_lease WHERE export_date = %(night)s
