-- Whether this database has the migrations' log yet (a new database has not).
SELECT to_regclass('audit.schema_migration') IS NOT NULL
