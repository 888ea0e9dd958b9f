-- Whether this login owns the tables (VACUUM needs their owner).
SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = 'staging.load'::regclass
