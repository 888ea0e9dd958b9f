-- One run per night at a time. Steps of a run execute in different processes
-- (Airflow tasks), so a session lock cannot span them: a lease row can. A run
-- that died leaves its lease behind; it is taken over once its heartbeat is stale.
CREATE TABLE audit.night_lease (
    export_date date PRIMARY KEY,
    run_id text NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
