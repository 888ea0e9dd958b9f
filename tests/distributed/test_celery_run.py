"""The nightly DAG under a real distributed Airflow: api-server, scheduler,
dag-processor and a CeleryExecutor worker as separate processes, a PostgreSQL
metadata database, Redis as the broker and PostgreSQL as the result backend.

This is the production topology of docker-compose.yml without containers. It
takes minutes, so it is left out of `make test`; run it with
`make test-distributed` (`pytest -m distributed`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg2
import pytest
from psycopg2.extensions import parse_dsn
from sqlalchemy.engine import URL

from pipelines.contract import DISTRICTS
from pipelines.settings import PROJECT_ROOT

pytestmark = pytest.mark.distributed

NIGHT = dt.date(2026, 11, 26)
DAG_ID = "dukcapil_nightly"
RUN_TIMEOUT = 8 * 60
STARTUP_TIMEOUT = 3 * 60
REDIS = ("127.0.0.1", 6379)
AIRFLOW = [sys.executable, "-m", "airflow"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=2):
        return True
    return False


def sqlalchemy_url(libpq_url: str, database: str, drivername: str) -> str:
    """The SQLAlchemy form of a libpq URL (Airflow and Celery do not take libpq key=value strings)."""
    params = parse_dsn(libpq_url)
    return URL.create(drivername, username=params.get("user"), password=params.get("password"),
                      host=params.get("host"), port=int(params["port"]) if "port" in params else None,
                      database=database).render_as_string(hide_password=False)


def tail(path: Path, lines: int = 80) -> str:
    if not path.exists():
        return f"({path} not written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Cluster:
    """The running components, with what is needed to diagnose a failure."""

    env: dict[str, str]
    logs: Path
    api: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    client: httpx.Client | None = None

    def start(self, name: str, *args: str) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        # Own session, so that stopping the group also stops Celery's and uvicorn's children.
        self.processes[name] = subprocess.Popen([*AIRFLOW, *args], env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            # Stragglers in the group (forked task runners) go even when the leader exited cleanly.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def get(self, path: str) -> httpx.Response:
        return self.client.get(f"{self.api}/api/v2{path}")

    def diagnostics(self) -> str:
        parts = []
        for name, process in self.processes.items():
            state = "running" if process.poll() is None else f"exited {process.returncode}"
            parts.append(f"===== {name} ({state}) =====\n{tail(self.logs / f'{name}.log')}")
        task_logs = Path(self.env["AIRFLOW_HOME"]) / "logs"
        for log in sorted(task_logs.glob(f"dag_id={DAG_ID}/**/*.log")):
            if '"level":"error"' in log.read_text(errors="replace"):
                parts.append(f"===== task log {log.relative_to(task_logs)} =====\n{tail(log, 40)}")
        return "\n".join(parts)

    def wait_until(self, what: str, condition: Callable[[], object], timeout: float, every: float = 3) -> object:
        """Poll `condition` until it returns something truthy; fail with every component's log otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
            if dead:
                pytest.fail(f"{', '.join(dead)} exited while waiting for {what}: {dead}\n{self.diagnostics()}")
            with contextlib.suppress(httpx.TransportError):
                result = condition()
                if result:
                    return result
            time.sleep(every)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{self.diagnostics()}")


@pytest.fixture(scope="module")
def redis_broker(tmp_path_factory) -> Iterator[str]:
    """The Redis on 127.0.0.1:6379; started for this test (and stopped after) when absent."""
    server = None
    if not answers(*REDIS):
        if shutil.which("redis-server") is None:
            pytest.fail("Redis is not running on 127.0.0.1:6379 and redis-server is not installed "
                        "(Debian: apt-get install redis-server)")
        workdir = tmp_path_factory.mktemp("redis")
        server = subprocess.Popen(["redis-server", "--bind", REDIS[0], "--port", str(REDIS[1]), "--save", "",
                                   "--appendonly", "no", "--dir", str(workdir)],
                                  stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while not answers(*REDIS):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start on 127.0.0.1:6379")
            time.sleep(0.2)
    yield f"redis://{REDIS[0]}:{REDIS[1]}/0"
    if server is not None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def metadata_db() -> Iterator[tuple[str, str]]:
    """A fresh Airflow metadata database on the warehouse's server: (libpq URL of the server, its name)."""
    from pipelines.warehouse.connection import ensure_database, server_url

    server = server_url()
    name = f"airflow_meta_{uuid.uuid4().hex[:10]}"
    ensure_database(server, name)
    yield server, name
    with contextlib.closing(psycopg2.connect(server)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    from pipelines.sample import generate

    root = tmp_path_factory.mktemp("landing")
    generate(root, [NIGHT], persons=1000, seed=3)
    return root


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, warehouse, redis_broker, metadata_db, landing) -> Iterator[Cluster]:
    server, meta_name = metadata_db
    home = tmp_path_factory.mktemp("airflow_home")
    logs = tmp_path_factory.mktemp("component_logs")
    api_port = free_port()
    api = f"http://127.0.0.1:{api_port}"
    # Queue and worker name are unique so that a shared Redis never hands our tasks to another
    # test's worker, nor theirs to ours.
    queue = f"dukcapil_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url(server, meta_name, "postgresql+psycopg2"),
        "AIRFLOW__CELERY__BROKER_URL": redis_broker,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + sqlalchemy_url(server, meta_name, "postgresql"),
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": queue,
        "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "pipelines.celery_config.CELERY_CONFIG",
        # Workers reach the Execution API of the api-server, never the metadata database.
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        # Every component must sign and check task tokens with the same secret.
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        # Only the run this test triggers: unpausing would otherwise also start the latest 02:00
        # run, which goes first (max_active_runs=1) and reads a night this landing does not have.
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "WAREHOUSE_URL": warehouse,
        "DUKCAPIL_LANDING": str(landing),
        "DUKCAPIL_REPORTS": str(tmp_path_factory.mktemp("reports")),
    }
    migrate = subprocess.run([*AIRFLOW, "db", "migrate"], env=env, capture_output=True, text=True)
    if migrate.returncode != 0:
        pytest.fail(f"airflow db migrate failed:\n{migrate.stdout[-4000:]}\n{migrate.stderr[-4000:]}")

    running = Cluster(env=env, logs=logs, api=api)
    try:
        running.start("api-server", "api-server")
        running.start("scheduler", "scheduler")
        running.start("dag-processor", "dag-processor")
        running.start("celery-worker", "celery", "worker", "--queues", queue, "--concurrency", "2",
                      "--celery-hostname", f"{queue}@%h", "--without-mingle", "--without-gossip",
                      "--skip-serve-logs")
        running.wait_until("the api-server", lambda: httpx.get(f"{api}/api/v2/monitor/health").is_success,
                           STARTUP_TIMEOUT)
        token = httpx.get(f"{api}/auth/token").raise_for_status().json()["access_token"]
        running.client = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30)
        yield running
    finally:
        if running.client is not None:
            running.client.close()
        running.stop()


def night_timing(cluster: Cluster, run_id: str, waited: float) -> str:
    """The night's wall time under the scheduler, printed beside `make bench`'s
    in-process figures (docs/scaling.md), never asserted: the run as Airflow
    timed it, and how much of it the tasks themselves took."""
    def seconds(item: dict) -> float:
        return (dt.datetime.fromisoformat(item["end_date"]) - dt.datetime.fromisoformat(item["start_date"])).total_seconds()

    run = cluster.get(f"/dags/{DAG_ID}/dagRuns/{run_id}").raise_for_status().json()
    tis = cluster.get(f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=100").raise_for_status().json()
    busy = sum(seconds(ti) for ti in tis["task_instances"] if ti["start_date"] and ti["end_date"])
    return (f"night {NIGHT} under the scheduler (1 000 persons, Celery worker of 2 slots): run {seconds(run):.1f} s "
            f"from its start to its end ({waited:.0f} s from the trigger, polled every 5 s); its tasks ran "
            f"{busy:.1f} s in all")


def test_nightly_run_through_celery_workers(cluster, metadata_db, warehouse, capsys):
    from pipelines.warehouse.connection import with_database

    cluster.wait_until(f"{DAG_ID} to be parsed by the dag-processor",
                       lambda: cluster.get(f"/dags/{DAG_ID}").is_success, STARTUP_TIMEOUT)
    import_errors = cluster.get("/importErrors").raise_for_status().json()
    assert import_errors["total_entries"] == 0, import_errors

    cluster.client.patch(f"{cluster.api}/api/v2/dags/{DAG_ID}", json={"is_paused": False}).raise_for_status()
    conf = {"night": NIGHT.isoformat(), "landing": cluster.env["DUKCAPIL_LANDING"]}
    triggered = time.monotonic()
    run = cluster.client.post(f"{cluster.api}/api/v2/dags/{DAG_ID}/dagRuns",
                              json={"logical_date": None, "conf": conf}).raise_for_status().json()
    run_id = run["dag_run_id"]

    def task_instances() -> list[tuple]:
        tis = cluster.get(f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=100").raise_for_status().json()
        return sorted((ti["task_id"], ti["map_index"], ti["state"], ti["queue"]) for ti in tis["task_instances"])

    def finished():
        state = cluster.get(f"/dags/{DAG_ID}/dagRuns/{run_id}").raise_for_status().json()["state"]
        # A failed attempt ends the test at once: its retry, 5 minutes later, would outlast the bound.
        if state == "failed" or any(ti[2] in ("failed", "up_for_retry") for ti in task_instances()):
            pytest.fail(f"run {run_id} has a failed task: {task_instances()}\n{cluster.diagnostics()}")
        return state == "success"

    cluster.wait_until(f"run {run_id} to finish", finished, RUN_TIMEOUT, every=5)
    with capsys.disabled():
        print(f"\n{night_timing(cluster, run_id, time.monotonic() - triggered)}")
    summary = task_instances()

    # Every task, including the 8 mapped district loads, went through our Celery queue ...
    assert len(summary) == 5 + len(DISTRICTS)
    assert {(s, q) for _, _, s, q in summary} == {("success", cluster.env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"])}
    # ... and its result came back through the PostgreSQL result backend (a retried task adds a result).
    # The worker stores a result after the task has reported its state, so the
    # last one can arrive just after the run is marked a success.
    def results_stored():
        with contextlib.closing(psycopg2.connect(with_database(*metadata_db))) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM celery_taskmeta WHERE status = 'SUCCESS'")
            return cur.fetchone()[0] >= len(summary)

    cluster.wait_until("every task's result in the Celery result backend", results_stored, 60, every=2)

    # Each district's task was forked from a worker that had loaded Great
    # Expectations already (pipelines/celery_config.py), and did not import it again.
    task_logs = Path(cluster.env["AIRFLOW_HOME"]) / "logs" / f"dag_id={DAG_ID}" / f"run_id={run_id}" / "task_id=stage"
    gx_lines = [line for log in task_logs.glob("map_index=*/attempt=*.log")
                for line in log.read_text().splitlines() if "Great Expectations" in line]
    assert len(gx_lines) == len(DISTRICTS), gx_lines
    assert all("Great Expectations already loaded" in line for line in gx_lines), gx_lines

    with contextlib.closing(psycopg2.connect(warehouse)) as conn, conn.cursor() as cur:
        cur.execute("SELECT district_code, status FROM audit.file_load WHERE export_date = %s", (NIGHT,))
        assert dict(cur.fetchall()) == dict.fromkeys(DISTRICTS, "loaded")
        cur.execute("SELECT (SELECT sum(rows_loaded) FROM audit.file_load WHERE export_date = %(night)s),"
                    " (SELECT count(*) FROM warehouse.resident_record WHERE export_date = %(night)s),"
                    " (SELECT count(*) FROM warehouse.person)", {"night": NIGHT})
        loaded, published, persons = cur.fetchone()
        assert loaded == published > 0
        assert persons > 0

    # No NIK and no name in what the workers' tasks logged, nor in any component's log.
    niks, names = personal_data(Path(cluster.env["DUKCAPIL_LANDING"]) / NIGHT.isoformat())
    logs = [*(Path(cluster.env["AIRFLOW_HOME"]) / "logs").rglob("*.log"), *cluster.logs.glob("*.log")]
    task_logs = [log for log in logs if f"run_id={run_id}" in str(log)]
    assert len(task_logs) >= len(summary), "every task wrote its log"
    sixteen_digits = re.compile(r"(?<!\d)\d{16}(?!\d)")
    for log in logs:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert not set(sixteen_digits.findall(text)) & niks, f"full NIK in {log}"
        assert not any(name in text for name in names), f"full name in {log}"


def personal_data(folder: Path) -> tuple[set[str], set[str]]:
    """The NIKs and the longer full names (short ones occur in ordinary words) of a night's exports."""
    niks, names = set(), set()
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                niks.add(row["NIK"])
                if len(row["NAMA_LGKP"]) >= 10:
                    names.add(row["NAMA_LGKP"])
    return niks, names
