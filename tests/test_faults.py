"""Faults on purpose: disk full while staging, the process killed mid-publish,
the database connection lost mid-load. After each: no half-loaded night,
nothing lost, and the next run completes."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
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


def test_killed_mid_publish_leaves_the_previous_state_and_can_be_rerun(tmp_path):
    night = dt.date(2026, 9, 2)
    small_night(tmp_path, night)
    for district in DISTRICTS:
        nightly.stage_district(tmp_path, night, district)
    nightly.resolve_identity(night)
    blocker = psycopg2.connect(os.environ["WAREHOUSE_URL"])
    with blocker.cursor() as cur:
        # An uncommitted audit row makes publish wait in the middle of its transaction,
        # after it has already written the first district's records.
        cur.execute("INSERT INTO audit.file_load (export_date, district_code, status, rows_read, rows_loaded,"
                    " rows_quarantined) VALUES (%s, '3602', 'loaded', 0, 0, 0)", (night,))
    publisher = subprocess.Popen([sys.executable, "-c",
                                  f"import datetime; from pipelines.nightly import publish; "
                                  f"publish(datetime.date.fromisoformat('{night}'))"], env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while not scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         " AND wait_event_type = 'Lock' AND application_name = 'dukcapil'"):
            assert time.monotonic() < deadline and publisher.poll() is None, "publish never reached the lock"
            time.sleep(0.2)
        publisher.kill()
        publisher.wait()
    finally:
        blocker.rollback()
        blocker.close()
    assert scalar("SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s", (night,)) == 0
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s", (night,)) == 0
    nightly.publish(night)
    assert scalar("SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s", (night,)) == 40
    assert scalar("SELECT count(*) FROM staging.load WHERE export_date = %s", (night,)) == 0


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
