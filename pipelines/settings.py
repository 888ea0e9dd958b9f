"""Every environment variable the pipeline reads, typed, with its local default:
read at each call, so a changed environment (a test, a child process) is seen.

Secrets (database passwords) come only from the environment (`WAREHOUSE_URL`)
or an Airflow connection, never from the repository.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parents[1]
JAKARTA = ZoneInfo("Asia/Jakarta")


def export_night(run_after: dt.datetime) -> dt.date:
    """The night a scheduled run loads: the day before the run, in Jakarta.
    (Workers receive run_after as a plain datetime, not a pendulum one.)"""
    return run_after.astimezone(JAKARTA).date() - dt.timedelta(days=1)


def local_dir() -> Path:
    """Machine-local state: private PostgreSQL cluster, Airflow home, samples, reports."""
    return Path(os.environ.get("DUKCAPIL_LOCAL_DIR", PROJECT_ROOT / ".local"))


def landing_dir() -> Path:
    """Where district exports land: `<landing>/<YYYY-MM-DD>/<KODE_KAB>.csv`."""
    return Path(os.environ.get("DUKCAPIL_LANDING", local_dir() / "landing"))


def landing_for(requested: str | None) -> Path:
    """The folder a run reads: DUKCAPIL_LANDING, or a folder inside it named by the
    run's `landing` param. Whoever may trigger a run sets that param, so a path
    that resolves elsewhere (`..`, a symlink) is refused."""
    root = landing_dir().resolve()
    folder = Path(requested).resolve() if requested else root
    if not folder.is_relative_to(root):
        raise ValueError(f"The landing param {requested!r} is not inside DUKCAPIL_LANDING ({root}); refused.")
    return folder


def reports_dir() -> Path:
    """Where the managers' reports and Data Docs are written."""
    return Path(os.environ.get("DUKCAPIL_REPORTS", local_dir() / "reports"))


def airflow_home() -> Path:
    return Path(os.environ.get("AIRFLOW_HOME", local_dir() / "airflow"))


def retry_delay() -> dt.timedelta:
    """Wait between retries of a failed task (a database restart takes a while)."""
    return dt.timedelta(seconds=float(os.environ.get("DUKCAPIL_RETRY_DELAY_SECONDS", "300")))


# The warehouse. Unset: a local default (pipelines/warehouse/connection.py).
def warehouse_url() -> str | None:
    """`WAREHOUSE_URL`: the nightly login's libpq URL (holds its password)."""
    return os.environ.get("WAREHOUSE_URL") or None


def owner_url() -> str | None:
    """`WAREHOUSE_OWNER_URL`: the login that owns the tables and runs migrations."""
    return os.environ.get("WAREHOUSE_OWNER_URL") or None


# Files and runs.
def settle_seconds() -> float:
    """How long a file without a manifest must sit unchanged before it is read."""
    return float(os.environ.get("DUKCAPIL_SETTLE_SECONDS", "30"))


def lease_stale_seconds() -> float:
    """A lease whose heartbeat is older belongs to a run that died (pipelines/lease.py)."""
    return float(os.environ.get("DUKCAPIL_LEASE_STALE_SECONDS", "600"))


def lease_wait_seconds() -> float:
    """How long a second run of a night waits for the lease before it refuses."""
    return float(os.environ.get("DUKCAPIL_LEASE_WAIT_SECONDS", "900"))


def lease_beat_seconds() -> float:
    """How often a working step renews its run's lease."""
    return float(os.environ.get("DUKCAPIL_LEASE_BEAT_SECONDS", "30"))


def notifiers() -> list[str]:
    """`DUKCAPIL_NOTIFIERS`: `module:function` factories of Airflow notifiers (pipelines/notify.py)."""
    return [part.strip() for part in os.environ.get("DUKCAPIL_NOTIFIERS", "").split(",") if part.strip()]


# Identity (docs/identity.md, docs/scaling.md).
def identity_batch(default: int) -> int:
    """New identity nodes matched per batch."""
    return int(os.environ.get("DUKCAPIL_IDENTITY_BATCH", default))


def duckdb_memory() -> str:
    return os.environ.get("DUKCAPIL_DUCKDB_MEMORY", "6GB")


def identity_engine() -> str:
    """Where a night's candidate pairs are scored: duckdb, or spark."""
    return os.environ.get("DUKCAPIL_IDENTITY_ENGINE", "duckdb").strip().lower() or "duckdb"


def spark_master() -> str:
    return os.environ.get("DUKCAPIL_SPARK_MASTER", "local[2]")


def spark_driver_memory() -> str:
    return os.environ.get("DUKCAPIL_SPARK_DRIVER_MEMORY", "8g")


def spark_partitions() -> str:
    return os.environ.get("DUKCAPIL_SPARK_PARTITIONS", "8")


# Bapenda's exchange folders (docs/bapenda.md).
def bapenda_inbox() -> Path:
    return Path(os.environ.get("DUKCAPIL_BAPENDA_INBOX", local_dir() / "bapenda" / "incoming"))


def bapenda_outbox() -> Path:
    return Path(os.environ.get("DUKCAPIL_BAPENDA_OUTBOX", local_dir() / "bapenda" / "outgoing"))
