-- A staged load's counts and value-free validation result, once its file is read.
UPDATE staging.load SET rows_read = %(rows_read)s, rows_loaded = %(rows_loaded)s,
                        rows_quarantined = %(rows_quarantined)s, rows_unchanged = %(rows_unchanged)s,
                        warnings = %(warnings)s, rule_counts = %(rule_counts)s,
                        validation_result = %(validation_result)s
WHERE load_id = %(load_id)s
