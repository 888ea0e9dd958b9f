"""Real `dukcapil run` processes, as an operator starts them: one killed with
SIGKILL mid-night (in staging, in publish) and the next run recovers by itself;
two started at once on one night serialise. The lease goes stale after 10 s
here instead of 10 minutes, so that the test takes minutes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

from pipelines.contract import DISTRICTS
from pipelines.warehouse import connect

NIGHTS = (dt.date(2026, 7, 1), dt.date(2026, 7, 2), dt.date(2026, 7, 3))
STALE_SECONDS = 10


def scalar(statement: str, params=None):
    with connect() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()[0]


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    from pipelines.sample import generate

    root = tmp_path_factory.mktemp("recovery_landing")
    generate(root, list(NIGHTS), persons=1500, seed=9)
    return root


@pytest.fixture
def runs(own_warehouse, tmp_path, landing):
    """Starts `dukcapil run` processes, each with its own Airflow home (a copy of
    the session's migrated metadata DB: two runs at once must not share SQLite)."""
    from pipelines.airflow_runner import prepare_airflow

    prepare_airflow()
    started: list[subprocess.Popen] = []

    def start(night: dt.date) -> subprocess.Popen:
        home = tmp_path / f"airflow_{len(started)}"
        home.mkdir()
        shutil.copy(Path(os.environ["AIRFLOW_HOME"]) / "airflow.db", home / "airflow.db")
        env = {**os.environ, "AIRFLOW_HOME": str(home), "DUKCAPIL_LEASE_STALE_SECONDS": str(STALE_SECONDS),
               "DUKCAPIL_LEASE_BEAT_SECONDS": "1", "DUKCAPIL_LEASE_WAIT_SECONDS": "300"}
        log = (tmp_path / f"run_{len(started)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--landing", str(landing),
                                    "--night", night.isoformat()], env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # a process group: its task processes die with it
        process.log = tmp_path / f"run_{len(started)}.log"
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def finished(process: subprocess.Popen, timeout: float) -> int:
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"dukcapil run still running after {timeout:.0f} s:\n{process.log.read_text()[-3000:]}")


def kill_when(process: subprocess.Popen, statement: str, params=None, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not scalar(statement, params):
        assert process.poll() is None, f"the run ended first:\n{process.log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, "the run never got there"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def assert_night_complete(night: dt.date) -> None:
    loads = scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s AND status IN ('loaded', 'unchanged')"
                   " AND rows_read = rows_loaded + rows_quarantined", (night,))
    assert loads == len(DISTRICTS)
    assert scalar("SELECT sum(rows_loaded) FROM audit.file_load WHERE export_date = %s", (night,)) == scalar(
        "SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s", (night,))
    assert scalar("SELECT count(*) FROM staging.load WHERE export_date = %s", (night,)) == 0
    assert scalar("SELECT count(*) FROM audit.night_lease WHERE export_date = %s", (night,)) == 0


def rerun_after_kill(runs, night: dt.date) -> float:
    from pipelines.cli import main

    assert scalar("SELECT count(*) FROM audit.night_lease WHERE export_date = %s", (night,)) == 1, \
        "the killed run left its lease"
    started = time.monotonic()
    assert finished(runs(night), 300) == 0
    seconds = time.monotonic() - started
    print(f"\nnight {night}: rerun after kill -9 completed in {seconds:.0f} s (lease stale after {STALE_SECONDS} s)")
    assert main(["lease", "status"]) == 0
    return seconds


def test_run_killed_mid_stage_frees_the_night_by_itself(runs):
    night = NIGHTS[0]
    kill_when(runs(night), "SELECT count(*) FROM staging.load WHERE export_date = %s", (night,))
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s", (night,)) == 0
    rerun_after_kill(runs, night)
    assert_night_complete(night)


def test_run_killed_mid_publish_leaves_no_half_night_and_the_rerun_completes(runs):
    night = NIGHTS[1]
    blocker = psycopg2.connect(os.environ["WAREHOUSE_URL"])
    try:
        with blocker.cursor() as cur:
            # An uncommitted audit row makes publish wait in the middle of its
            # transaction, after it has already written the first district's records.
            cur.execute("INSERT INTO audit.file_load (export_date, district_code, status, rows_read, rows_loaded,"
                        " rows_quarantined) VALUES (%s, '3602', 'loaded', 0, 0, 0)", (night,))
        kill_when(runs(night), "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                               " AND wait_event_type = 'Lock' AND application_name = 'dukcapil'")
    finally:
        blocker.rollback()
        blocker.close()
    assert scalar("SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s", (night,)) == 0
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s", (night,)) == 0
    rerun_after_kill(runs, night)
    assert_night_complete(night)


def test_two_runs_started_at_once_serialise(runs):
    night = NIGHTS[2]
    first, second = runs(night), runs(night)
    assert (finished(first, 400), finished(second, 400)) == (0, 0)
    assert_night_complete(night)
    # Each run ends with the closing table of the night it waited for.
    assert all("8 dari 8 kab/kota ada di gudang data" in run.log.read_text() for run in (first, second))
