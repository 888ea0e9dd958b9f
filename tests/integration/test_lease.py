"""Two runs of one night never interleave: the second waits, then refuses. A
live run's steps keep its lease by heartbeats; a dead run's lease goes stale in
seconds here (minutes in production) and is taken over. Operators see and free
leases with `dukcapil lease`. (Real processes killed mid-night: test_recovery.py.)"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from pipelines.cli import main
from pipelines import lease, nightly
from pipelines.warehouse import connect

NIGHT = dt.date(2026, 10, 1)


@pytest.fixture
def quick_wait(monkeypatch):
    monkeypatch.setenv("DUKCAPIL_LEASE_WAIT_SECONDS", "1")
    yield
    with connect() as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM audit.night_lease WHERE export_date = %s", (NIGHT,))


def test_second_run_waits_then_refuses(quick_wait):
    lease.acquire(NIGHT, "run-a")
    lease.acquire(NIGHT, "run-a")  # the holder may come back (a retried task)
    with pytest.raises(lease.NightBusy, match="run-a"):
        lease.acquire(NIGHT, "run-b")
    lease.release(NIGHT, "run-a")
    lease.acquire(NIGHT, "run-b")


def test_steps_of_another_run_are_refused(quick_wait, tmp_path):
    lease.acquire(NIGHT, "run-a")
    with pytest.raises(lease.NightBusy):
        nightly.stage_district(tmp_path, NIGHT, "3601", "run-b")
    with pytest.raises(lease.NightBusy):
        nightly.publish_night(NIGHT)  # no run id: refused while a live run holds the night
    assert nightly.stage_district(tmp_path, NIGHT, "3601", "run-a")["status"] == "rejected"  # no file


def holder() -> str | None:
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT run_id FROM audit.night_lease WHERE export_date = %s", (NIGHT,))
        row = cur.fetchone()
        return row[0] if row else None


@pytest.fixture
def quick_stale(quick_wait, monkeypatch):
    monkeypatch.setenv("DUKCAPIL_LEASE_STALE_SECONDS", "2")
    monkeypatch.setenv("DUKCAPIL_LEASE_BEAT_SECONDS", "0.3")


def test_a_working_step_keeps_the_lease_and_a_dead_run_loses_it(quick_stale):
    lease.acquire(NIGHT, "run-a")
    with lease.kept(NIGHT, "run-a"):  # a step longer than the stale time
        time.sleep(3)
        with pytest.raises(lease.NightBusy, match="run-a"):
            lease.acquire(NIGHT, "run-b")
    time.sleep(2.5)  # run-a died: no step heartbeats any more
    lease.acquire(NIGHT, "run-b")
    assert holder() == "run-b"
    with connect() as conn, conn.cursor() as cur, pytest.raises(lease.NightBusy, match="took it over"):
        lease.hold(cur, NIGHT, "run-a")  # the dead run's retried step may not write


def test_a_retried_step_takes_back_its_own_stale_lease(quick_stale):
    lease.acquire(NIGHT, "run-a")
    time.sleep(2.5)  # a retry's wait, longer than the stale time; nobody took the night
    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, NIGHT, "run-a")
    assert holder() == "run-a"


def test_operators_see_and_free_leases(quick_stale, capsys):
    lease.acquire(NIGHT, "run-a")
    assert main(["lease", "status"]) == 0
    assert f"{NIGHT}  run run-a" in capsys.readouterr().out
    assert main(["lease", "release", "--night", NIGHT.isoformat()]) == 1  # live: refused
    assert "live run run-a" in capsys.readouterr().err and holder() == "run-a"
    time.sleep(2.5)
    assert main(["lease", "status"]) == 0
    assert "stale" in capsys.readouterr().out
    assert main(["lease", "release", "--night", NIGHT.isoformat()]) == 0
    assert holder() is None
    lease.acquire(NIGHT, "run-b")
    assert main(["lease", "release", "--night", NIGHT.isoformat(), "--force"]) == 0
    assert "run-b" in capsys.readouterr().out and holder() is None
