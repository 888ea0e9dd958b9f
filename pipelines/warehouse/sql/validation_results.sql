-- The night's value-free validation results, one per loaded file (Data Docs).
SELECT result FROM audit.validation_result WHERE export_date = %(night)s ORDER BY district_code
