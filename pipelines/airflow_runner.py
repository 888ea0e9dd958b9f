"""Running the nightly DAG through Airflow itself, in-process (`dag.test()`),
with a SQLite metadata database under .local/ migrated on first use.

This is the `dukcapil run` path for a laptop or a test; production runs the
same DAG file under a scheduler (see docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

from pipelines.settings import PROJECT_ROOT, airflow_home

DAG_FILES = {name: PROJECT_ROOT / "dags" / f"{name}.py" for name in ("dukcapil_nightly", "bapenda_matching")}


def airflow_environment() -> dict[str, str]:
    """Settings for a private, local Airflow: must be in os.environ before airflow is imported."""
    home = airflow_home()
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
    }


# Airflow's own web server and scheduler on this machine (`make airflow`, README):
# the DAG unpaused from the start, and one login.
LOCAL_PORT = 8080
LOCAL_USER = "admin"


def standalone_environment(landing: Path) -> dict[str, str]:
    return {
        **airflow_environment(),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__PORT": str(LOCAL_PORT),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{LOCAL_USER}:admin",
        "DUKCAPIL_LANDING": str(landing.resolve()),
    }


def prepare_airflow() -> None:
    """Point Airflow at the local home and migrate its metadata DB when its schema
    is not the one this Airflow migrated it to."""
    env = airflow_environment()
    for key, value in env.items():
        os.environ.setdefault(key, value)
    airflow_home().mkdir(parents=True, exist_ok=True)
    # `airflow db migrate` takes 10-20 s even with nothing to do (a fresh
    # interpreter, all of Airflow and its migration scripts): run it only when
    # the schema is not the one it left last time.
    stamp, stamp_file = migrated_stamp(), airflow_home() / STAMP_FILE
    if stamp is not None and stamp_file.is_file() and stamp_file.read_text() == stamp:
        return
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, env=os.environ.copy(),
                   stdout=subprocess.DEVNULL)
    stamp = migrated_stamp()
    if stamp is not None:
        stamp_file.write_text(stamp)


# Written after each migrate: the Airflow version and the schema revision it left.
STAMP_FILE = "migrated"


def migrated_stamp() -> str | None:
    """`<airflow version> <alembic revision>` of the private SQLite metadata DB, or
    None when Airflow is pointed elsewhere (then every run asks `airflow db migrate`)
    or the DB has no schema yet. A new Airflow, a removed or replaced airflow.db,
    or one migrated by another version no longer match the stamp."""
    private = airflow_environment()["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    database = airflow_home() / "airflow.db"
    if os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") != private or not database.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as conn:
            revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.Error:
        return None
    if len(revisions) != 1:
        return None
    return f"{importlib.metadata.version('apache-airflow')} {revisions[0]}"


def load_dag(dag_id: str):
    spec = importlib.util.spec_from_file_location(f"dags_{dag_id}", DAG_FILES[dag_id])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.dag


def run_night(landing: Path, night: dt.date) -> str:
    """Run `dukcapil_nightly` for one night; return the DagRun's final state."""
    prepare_airflow()
    # The operator names the landing folder here; the DAG reads nothing outside it.
    os.environ["DUKCAPIL_LANDING"] = str(landing.resolve())
    dag = load_dag("dukcapil_nightly")
    # dag.test() serves the task API in-process through Starlette's test client,
    # which warns about its own httpx use on every run: nothing an operator can act on.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    run = dag.test(run_conf={"night": night.isoformat(), "landing": str(landing.resolve())})
    _note(run, f"Malam ekspor {night}")
    return str(run.state)


def _note(run, text: str) -> None:
    """Put the export night on the run in Airflow's UI: its run id carries only the
    time it was started. (This process is not a task: it may write the metadata DB.)"""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        session.scalar(select(DagRun).where(DagRun.dag_id == run.dag_id, DagRun.run_id == run.run_id)).note = text


def standalone(landing: Path) -> None:
    """Replace this process with `airflow standalone` on the project's settings."""
    env = {**os.environ, **standalone_environment(landing)}
    # standalone starts its components as `airflow …`: this environment's, wherever it was called from.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    print(f"Airflow on http://localhost:{LOCAL_PORT}: log in as {LOCAL_USER}, password in "
          f"{Path(env['AIRFLOW_HOME']) / 'simple_auth_manager_passwords.json.generated'}; landing {env['DUKCAPIL_LANDING']}",
          flush=True)
    os.execve(sys.executable, [sys.executable, "-m", "airflow", "standalone"], env)


if __name__ == "__main__":
    standalone(Path(sys.argv[1]))
