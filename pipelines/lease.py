"""One run per night: a lease in audit.night_lease, taken by the run's first step
and checked by every step that writes, so two runs of a night never interleave.

Steps of a run execute in different processes (Airflow tasks, Celery workers),
so no session lock can span a run: while a step works, a thread renews the
lease's heartbeat every `DUKCAPIL_LEASE_BEAT_SECONDS` (30). A lease whose
heartbeat is older than `DUKCAPIL_LEASE_STALE_SECONDS` (600: longer than a
task's retry delay) belongs to a run that died (`kill -9`, a lost worker), and
the next run takes it over by itself. A second run waits (up to
`DUKCAPIL_LEASE_WAIT_SECONDS`, 900: longer than the stale time) and then
refuses. Operators see and free leases with `dukcapil lease status|release`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator

import psycopg2

from pipelines import settings
from pipelines.sql import sql
from pipelines.warehouse import connect

log = logging.getLogger(__name__)


class NightBusy(RuntimeError):
    """Another run holds the night."""


def _take(cur, night: dt.date, run_id: str) -> bool:
    """Take or renew the lease: free, ours, or left stale by a dead run."""
    cur.execute(sql("pipelines.warehouse", "take_lease"), {"night": night, "run_id": run_id, "stale": settings.lease_stale_seconds()})
    return cur.fetchone() is not None


def acquire(night: dt.date, run_id: str) -> None:
    deadline = time.monotonic() + settings.lease_wait_seconds()
    while True:
        with connect() as conn, conn.cursor() as cur:
            if _take(cur, night, run_id):
                return
            cur.execute(sql("pipelines.warehouse", "lease_holder"), {"night": night})
            holder = cur.fetchone()
        if time.monotonic() > deadline:
            raise NightBusy(f"Night {night} is being loaded by run {holder[0] if holder else '?'}; try again later "
                            f"(`dukcapil lease status`).")
        time.sleep(2)


def hold(cur, night: dt.date, run_id: str | None) -> None:
    """At the start of a writing step's transaction: refuse unless `run_id` holds
    the night (renewing it; a lease gone stale while nobody else took it, as
    during a retry's wait, is taken back). A direct call without a run id (a
    bench, a test) may write only while no live run holds the night. No row lock
    is kept: the districts of one run stage in parallel transactions."""
    if run_id is None:
        cur.execute(sql("pipelines.warehouse", "live_lease_holder"), {"night": night, "stale": settings.lease_stale_seconds()})
        holder = cur.fetchone()
        if holder:
            raise NightBusy(f"Night {night} is being loaded by run {holder[0]}.")
        return
    with connect(autocommit=True) as beat, beat.cursor() as beat_cur:
        if not _take(beat_cur, night, run_id):
            raise NightBusy(f"Run {run_id} does not hold night {night}: another run took it over.")


@contextlib.contextmanager
def kept(night: dt.date, run_id: str | None) -> Iterator[None]:
    """Renew the run's heartbeat while the block runs (a step of the run)."""
    if run_id is None:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(settings.lease_beat_seconds()):
            try:
                with connect(autocommit=True) as conn, conn.cursor() as cur:
                    cur.execute(sql("pipelines.warehouse", "lease_beat"), {"night": night, "run_id": run_id})
            except psycopg2.Error as error:  # the server restarting: the step itself will fail or retry
                log.warning("Night %s: lease heartbeat not renewed (%s)", night, type(error).__name__)

    thread = threading.Thread(target=beat, name=f"lease-{night}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def release(night: dt.date, run_id: str) -> None:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "release_lease"), {"night": night, "run_id": run_id})


def release_failed_run(context) -> None:
    """DAG failure callback: a failed run gives its night back at once, so the
    next run need not wait for the lease to go stale."""
    dag_run = context.get("dag_run")
    if dag_run is not None:
        with connect() as conn, conn.cursor() as cur:
            cur.execute(sql("pipelines.warehouse", "release_run_lease"), {"run_id": dag_run.run_id})


def status() -> list[dict]:
    """Every lease held, with its heartbeat's age and whether it is live (for operators)."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "leases"))
        return [{"night": night, "run_id": run_id, "acquired_at": acquired, "heartbeat_age_s": age,
                 "live": age < settings.lease_stale_seconds()} for night, run_id, acquired, age in cur.fetchall()]


def release_night(night: dt.date, force: bool = False) -> str | None:
    """Free a night's lease for an operator; a live one only with `force` (its
    run's next step then stops with NightBusy). Returns the run id freed."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute(sql("pipelines.warehouse", "free_lease"),
                    {"night": night, "force": force, "stale": settings.lease_stale_seconds()})
        freed = cur.fetchone()
        if freed is None:
            cur.execute(sql("pipelines.warehouse", "lease_holder"), {"night": night})
            holder = cur.fetchone()
            if holder:
                raise NightBusy(f"Night {night} is held by live run {holder[0]}: it heartbeats; "
                                f"use --force only if that run is known to be dead.")
        return freed[0] if freed else None
