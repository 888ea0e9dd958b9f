"""Two runs of one night never interleave: the second waits, then refuses."""

from __future__ import annotations

import datetime as dt

import pytest

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
        nightly.publish(NIGHT)  # no run id: refused while a live run holds the night
    assert nightly.stage_district(tmp_path, NIGHT, "3601", "run-a")["status"] == "rejected"  # no file


def test_stale_lease_of_a_dead_run_is_taken_over(quick_wait, monkeypatch):
    lease.acquire(NIGHT, "run-dead")
    monkeypatch.setenv("DUKCAPIL_LEASE_STALE_SECONDS", "0")
    lease.acquire(NIGHT, "run-new")
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT run_id FROM audit.night_lease WHERE export_date = %s", (NIGHT,))
        assert cur.fetchone()[0] == "run-new"
