"""One run per night: a lease in audit.night_lease, taken by the run's first step
and checked by every step that writes, so two runs of a night never interleave.

A second run waits (up to `DUKCAPIL_LEASE_WAIT_SECONDS`) and then refuses.
A lease whose heartbeat is older than `DUKCAPIL_LEASE_STALE_SECONDS` belongs to
a run that died, and is taken over.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from pipelines.warehouse import connect


class NightBusy(RuntimeError):
    """Another run holds the night."""


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def acquire(night: dt.date, run_id: str) -> None:
    deadline = time.monotonic() + _seconds("DUKCAPIL_LEASE_WAIT_SECONDS", 600)
    while True:
        with connect() as conn, conn.cursor() as cur:
            cur.execute(
                """INSERT INTO audit.night_lease AS l (export_date, run_id) VALUES (%s, %s)
                   ON CONFLICT (export_date) DO UPDATE
                       SET run_id = EXCLUDED.run_id, acquired_at = now(), heartbeat_at = now()
                       WHERE l.run_id = EXCLUDED.run_id
                          OR l.heartbeat_at < now() - make_interval(secs => %s)
                   RETURNING run_id""",
                (night, run_id, _seconds("DUKCAPIL_LEASE_STALE_SECONDS", 3 * 3600)))
            if cur.fetchone():
                return
            cur.execute("SELECT run_id FROM audit.night_lease WHERE export_date = %s", (night,))
            holder = cur.fetchone()
        if time.monotonic() > deadline:
            raise NightBusy(f"Night {night} is being loaded by run {holder[0] if holder else '?'}; try again later.")
        time.sleep(2)


def hold(cur, night: dt.date, run_id: str | None) -> None:
    """At the start of a writing step's transaction: refuse unless `run_id` holds
    the night. A direct call without a run id (a bench, a test) may write only
    while no live run holds the night. No row lock is kept: the districts of one
    run stage in parallel transactions."""
    cur.execute("""SELECT run_id FROM audit.night_lease WHERE export_date = %s
                   AND heartbeat_at >= now() - make_interval(secs => %s)""",
                (night, _seconds("DUKCAPIL_LEASE_STALE_SECONDS", 3 * 3600)))
    holder = cur.fetchone()
    if run_id is None:
        if holder:
            raise NightBusy(f"Night {night} is being loaded by run {holder[0]}.")
        return
    if holder is None or holder[0] != run_id:
        raise NightBusy(f"Run {run_id} does not hold night {night}: another run took it over.")
    with connect(autocommit=True) as beat, beat.cursor() as beat_cur:
        beat_cur.execute("UPDATE audit.night_lease SET heartbeat_at = now() WHERE export_date = %s AND run_id = %s",
                         (night, run_id))


def release(night: dt.date, run_id: str) -> None:
    with connect() as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM audit.night_lease WHERE export_date = %s AND run_id = %s", (night, run_id))


def release_failed_run(context) -> None:
    """DAG failure callback: a failed run gives its night back at once, so the
    next run need not wait for the lease to go stale."""
    dag_run = context.get("dag_run")
    if dag_run is not None:
        with connect() as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM audit.night_lease WHERE run_id = %s", (dag_run.run_id,))
