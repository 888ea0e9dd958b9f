"""Running the nightly DAG through Airflow itself, in-process (`dag.test()`),
with a SQLite metadata database under .local/ migrated on first use.

This is the `dukcapil run` path for a laptop or a test; production runs the
same DAG file under a scheduler (see docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
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


def prepare_airflow() -> None:
    """Point Airflow at the local home and migrate its metadata DB (idempotent)."""
    env = airflow_environment()
    for key, value in env.items():
        os.environ.setdefault(key, value)
    Path(os.environ["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, env=os.environ.copy(),
                   stdout=subprocess.DEVNULL)


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
    run = dag.test(run_conf={"night": night.isoformat(), "landing": str(landing.resolve())})
    return str(run.state)
