"""prepare_airflow runs `airflow db migrate` only when the metadata DB's schema is
not the one it left: a fake migrate stands in for Airflow's (no subprocess)."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from pipelines import airflow_runner


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{tmp_path / 'airflow.db'}")
    return tmp_path


@pytest.fixture
def migrations(home, monkeypatch):
    """Each call of `airflow db migrate`, which leaves the DB at revision `head`."""
    calls = []

    def fake_run(command, **kwargs):
        assert command[1:] == ["-m", "airflow", "db", "migrate"]
        calls.append(command)
        set_revision(home, "head")

    monkeypatch.setattr(airflow_runner.subprocess, "run", fake_run)
    return calls


def set_revision(home, revision: str) -> None:
    with contextlib.closing(sqlite3.connect(home / "airflow.db")) as conn, conn:
        conn.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num text)")
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))


def test_migrates_once_then_not_while_the_schema_is_the_one_it_left(migrations):
    airflow_runner.prepare_airflow()
    airflow_runner.prepare_airflow()
    airflow_runner.prepare_airflow()
    assert len(migrations) == 1


def test_migrates_again_when_the_db_is_removed_or_at_another_revision(home, migrations):
    airflow_runner.prepare_airflow()
    (home / "airflow.db").unlink()
    airflow_runner.prepare_airflow()
    set_revision(home, "older")  # e.g. a copy of another home's DB
    airflow_runner.prepare_airflow()
    assert len(migrations) == 3


def test_migrates_again_under_another_airflow_version(home, migrations, monkeypatch):
    airflow_runner.prepare_airflow()
    version = airflow_runner.importlib.metadata.version
    monkeypatch.setattr(airflow_runner.importlib.metadata, "version",
                        lambda name: "99.0.0" if name == "apache-airflow" else version(name))
    airflow_runner.prepare_airflow()
    assert len(migrations) == 2


def test_a_metadata_db_elsewhere_is_migrated_every_run(home, migrations, monkeypatch):
    monkeypatch.setenv("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{home / 'other.db'}")
    airflow_runner.prepare_airflow()
    airflow_runner.prepare_airflow()
    assert len(migrations) == 2
