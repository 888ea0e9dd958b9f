-- One migrating process at a time, also across databases of one server.
SELECT pg_advisory_xact_lock(%(lock)s)
