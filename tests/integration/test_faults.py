"""Faults on purpose: disk full while staging, the database connection lost
mid-load, the PostgreSQL server restarted during stage and during publish.
After each: no half-loaded night, nothing lost, and the run or the next one
completes. (A `dukcapil run` killed mid-night: tests/integration/test_recovery.py.)"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import pytest

from pipelines import nightly
from pipelines.contract import DISTRICTS
from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export


def scalar(statement: str, params=None):
    with connect() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()[0]


def small_night(landing: Path, night: dt.date, rows: int = 20) -> None:
    for district in ("3601", "3602"):
        write_export(landing / night.isoformat(), district,
                     csv_text([valid_row(i) for i in range(1, rows + 1)]) if district == "3601" else
                     csv_text([valid_row(i, NO_KAB="02", NO_KEC="01", NO_KEL="2002", NIK=f"360201150580{i:04d}")
                               for i in range(1, rows + 1)]))


def server_os_user() -> str | None:
    """The OS user the PostgreSQL server runs as, when it runs on this machine."""
    try:
        data_directory = scalar("SELECT current_setting('data_directory')")
        return Path(data_directory).owner()
    except (OSError, psycopg2.Error):
        return None


@pytest.fixture
def tiny_tablespace(own_warehouse):
    """A 1 MiB tmpfs as a tablespace: staging runs out of disk."""
    owner = server_os_user()
    if owner is None or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root and a PostgreSQL server on this machine to mount a tiny tmpfs tablespace")
    # Not under pytest's tmp_path: the server's user must be able to reach it.
    location = Path(tempfile.mkdtemp(prefix="dukcapil-tiny-"))
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1M", "tmpfs", str(location)]).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    shutil.chown(location, owner)
    tablespace = f"tiny_{os.getpid()}"
    with connect(autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE TABLESPACE {tablespace} LOCATION '{location}'")
        cur.execute(f"ALTER TABLE staging.resident SET TABLESPACE {tablespace}")
    freed = []

    def free_disk():
        if not freed:
            with connect(autocommit=True) as conn, conn.cursor() as cur:
                cur.execute("ALTER TABLE staging.resident SET TABLESPACE pg_default")
                cur.execute(f"DROP TABLESPACE {tablespace}")
            subprocess.run(["umount", str(location)], check=True)
            location.rmdir()
            freed.append(True)

    yield free_disk
    free_disk()


def test_disk_full_while_staging_leaves_nothing_and_next_run_completes(tmp_path, tiny_tablespace):
    night = dt.date(2026, 9, 1)
    small_night(tmp_path, night, rows=6000)  # ~2 MB of rows: more than the tablespace holds
    with pytest.raises(psycopg2.errors.DiskFull):
        nightly.stage_district(tmp_path, night, "3601")
    assert scalar("SELECT count(*) FROM staging.load WHERE export_date = %s", (night,)) == 0
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s", (night,)) == 0
    tiny_tablespace()  # the operator frees disk; the next run completes
    outcome = nightly.stage_district(tmp_path, night, "3601")
    assert outcome["status"] == "staged" and outcome["rows_loaded"] == 6000


def test_connection_lost_mid_load_is_retried_by_the_dag(tmp_path, monkeypatch):
    from pipelines.airflow_runner import run_night
    from pipelines.sample import generate

    night = dt.date(2026, 9, 3)
    generate(tmp_path, [night], persons=20_000, seed=11)
    monkeypatch.setenv("DUKCAPIL_RETRY_DELAY_SECONDS", "1")
    killed = threading.Event()

    def cut_the_first_copy():
        with connect(autocommit=True) as conn, conn.cursor() as cur:
            deadline = time.monotonic() + 120
            while not killed.is_set() and time.monotonic() < deadline:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND query LIKE 'COPY %%resident%%' AND pid <> pg_backend_pid()")
                if cur.fetchall():
                    killed.set()
                time.sleep(0.005)

    cutter = threading.Thread(target=cut_the_first_copy)
    cutter.start()
    state = run_night(tmp_path, night)
    cutter.join()
    assert killed.is_set(), "the fault was injected"
    assert state == "success"
    loads = scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s AND status = 'loaded'"
                   " AND rows_read = rows_loaded + rows_quarantined", (night,))
    assert loads == len(DISTRICTS)
    assert scalar("SELECT count(*) FROM staging.load WHERE export_date = %s", (night,)) == 0
    assert scalar("SELECT sum(rows_loaded) FROM audit.file_load WHERE export_date = %s", (night,)) == scalar(
        "SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s", (night,))


@pytest.fixture(scope="module")
def private_cluster():
    """A PostgreSQL cluster of the test's own (initdb, pg_ctl; as an unprivileged
    user when root), so that it can be restarted for real. Yields its warehouse
    URL and a function that restarts it."""
    from pipelines.warehouse import migrate
    from pipelines.warehouse.connection import _unprivileged, ensure_database, with_database

    # PATH, else where Debian's postgresql packages put them.
    bindirs = os.pathsep.join([os.environ.get("PATH", ""), *map(str, sorted(Path("/usr/lib/postgresql").glob("*/bin")))])
    initdb, pg_ctl = shutil.which("initdb", path=bindirs), shutil.which("pg_ctl", path=bindirs)
    if not (initdb and pg_ctl):
        pytest.skip("needs initdb and pg_ctl on PATH for a private PostgreSQL cluster")
    prefix, user = _unprivileged()
    base = Path(tempfile.mkdtemp(prefix="dukcapil-pg-"))  # not under pytest's tmp_path: the server's user reads it
    shutil.chown(base, user)
    data = base / "data"
    subprocess.run([*prefix, initdb, "-D", str(data), "-U", "dukcapil", "--auth=trust", "-E", "UTF8", "--locale=C"],
                   check=True, stdout=subprocess.DEVNULL)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    def control(*args: str) -> None:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-w", *args,
                        "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL)

    control("start")
    server = f"postgresql://dukcapil@127.0.0.1:{port}/postgres"
    ensure_database(server, "dukcapil")
    url = with_database(server, "dukcapil")
    migrate(url)
    try:
        yield url, lambda: control("restart", "-m", "fast")
    finally:
        control("stop", "-m", "immediate")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def restart_landing(tmp_path_factory):
    from pipelines.sample import generate

    root = tmp_path_factory.mktemp("restart_landing")
    generate(root, [dt.date(2026, 9, 10), dt.date(2026, 9, 11)], persons=1500, seed=13)
    return root


# What holds a step mid-way, so that the restart falls inside it: a lock on
# staging (each district's stage empties its earlier load first), or an
# uncommitted audit row where publish records the districts it has published.
HOLD_STAGE = "LOCK TABLE staging.resident IN ACCESS EXCLUSIVE MODE"
HOLD_PUBLISH = ("INSERT INTO audit.file_load (export_date, district_code, status, rows_read, rows_loaded,"
                " rows_quarantined) VALUES ('2026-09-11', '3602', 'loaded', 0, 0, 0)")


@pytest.mark.parametrize("night, hold", [(dt.date(2026, 9, 10), HOLD_STAGE), (dt.date(2026, 9, 11), HOLD_PUBLISH)],
                         ids=["stage", "publish"])
def test_postgresql_restart_during_a_step_is_retried_and_the_night_completes(private_cluster, restart_landing,
                                                                           monkeypatch, night, hold):
    from pipelines.airflow_runner import run_night

    url, restart = private_cluster
    monkeypatch.setenv("WAREHOUSE_URL", url)
    monkeypatch.setenv("DUKCAPIL_RETRY_DELAY_SECONDS", "5")  # two retries outlast the restart
    blocker = psycopg2.connect(url)
    with blocker.cursor() as cur:
        cur.execute(hold)
        cur.execute("SELECT pg_postmaster_start_time()")
        started = cur.fetchone()[0]
    restarted = threading.Event()

    def restart_when_the_step_waits():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      " AND wait_event_type = 'Lock' AND application_name = 'dukcapil'"):
                restart()  # fast: every session, the waiting step's and the blocker's, is ended
                restarted.set()
                return
            time.sleep(0.2)

    restarter = threading.Thread(target=restart_when_the_step_waits)
    restarter.start()
    try:
        state = run_night(restart_landing, night)
    finally:
        restarter.join()
        blocker.close()
    assert restarted.is_set() and scalar("SELECT pg_postmaster_start_time()") > started, "the server restarted"
    assert state == "success"
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s AND status = 'loaded'"
                  " AND rows_read = rows_loaded + rows_quarantined", (night,)) == len(DISTRICTS)
    assert scalar("SELECT sum(rows_loaded) FROM audit.file_load WHERE export_date = %s", (night,)) == scalar(
        "SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s", (night,))
    assert scalar("SELECT count(*) FROM staging.load WHERE export_date = %s", (night,)) == 0
