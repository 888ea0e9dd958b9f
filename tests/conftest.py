"""Test fixtures. Every session gets its own Airflow home and reports folder;
the tests that talk to PostgreSQL (tests/integration, tests/spark,
tests/distributed: see their conftest.py) share a fresh warehouse database on
the real server, dropped at the end. tests/unit needs none."""

from __future__ import annotations

import contextlib
import os
import uuid

import psycopg2
import pytest


@pytest.fixture(scope="session", autouse=True)
def airflow_home(tmp_path_factory):
    saved = {key: os.environ.get(key) for key in ("AIRFLOW_HOME", "DUKCAPIL_REPORTS", "DUKCAPIL_SETTLE_SECONDS")}
    os.environ["AIRFLOW_HOME"] = str(tmp_path_factory.mktemp("airflow_home"))
    os.environ["DUKCAPIL_REPORTS"] = str(tmp_path_factory.mktemp("reports"))
    from pipelines.airflow_runner import airflow_environment

    # Airflow reads its settings once, at first import: set them before any test imports it.
    os.environ.update(airflow_environment())
    # Test files are complete when written; the wait for settling files has its own test.
    os.environ["DUKCAPIL_SETTLE_SECONDS"] = "0"
    yield
    _restore(saved)


@pytest.fixture(scope="session")
def warehouse():
    from pipelines.warehouse import migrate
    from pipelines.warehouse.connection import ensure_database, server_url, with_database

    server = server_url()
    name = f"dukcapil_test_{uuid.uuid4().hex[:10]}"
    ensure_database(server, name)
    url = with_database(server, name)
    saved = {"WAREHOUSE_URL": os.environ.get("WAREHOUSE_URL")}
    os.environ["WAREHOUSE_URL"] = url
    migrate(url)
    yield url
    _restore(saved)
    with contextlib.closing(psycopg2.connect(server)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')



@pytest.fixture
def own_warehouse(monkeypatch):
    """A database of its own, for a test that needs empty tables or changes the schema
    (other tests share the session's)."""
    from pipelines.warehouse import connect, migrate
    from pipelines.warehouse.connection import ensure_database, server_url, with_database

    name = f"dukcapil_own_{uuid.uuid4().hex[:10]}"
    ensure_database(server_url(), name)
    monkeypatch.setenv("WAREHOUSE_URL", with_database(server_url(), name))
    migrate()
    yield
    monkeypatch.undo()
    with connect(server_url(), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
