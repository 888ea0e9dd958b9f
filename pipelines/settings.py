"""Where things live on a machine, from the environment with local defaults.

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
