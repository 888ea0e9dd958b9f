"""The first night's identity scored on Spark (local mode) decides as on DuckDB.

One generated night goes through the real DAG twice, each time into a fresh
warehouse: once on the default engine (DuckDB), once with
DUKCAPIL_IDENTITY_ENGINE=spark. The partition of records into persons, and
every published identity table, must be the same. `make test-spark` runs it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import psutil
import pytest

from pipelines.identity import spark
from pipelines.warehouse import connect, migrate
from pipelines.warehouse.connection import ensure_database, server_url, with_database

pytestmark = pytest.mark.spark

NIGHT = dt.date(2026, 11, 26)
# Published by the night; compared as a whole, row by row. A record version's
# id is not identity's: it follows the order in which districts were staged.
PUBLISHED = ("warehouse.resident_record", "warehouse.identity_node", "warehouse.identity_link",
             "warehouse.identity_review", "warehouse.nik_collision", "warehouse.person_redirect",
             "warehouse.person", "warehouse.person_residence", "mart.ektp_coverage")


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    from pipelines.sample import generate

    root = tmp_path_factory.mktemp("landing")
    generate(root, [NIGHT], persons=3000, seed=7)
    return root


def _rows(cur, table: str) -> list[str]:
    cur.execute(f"SELECT (to_jsonb(t) - 'version_id')::text FROM {table} t ORDER BY 1")
    return [row[0] for row in cur.fetchall()]


def _night(landing, monkeypatch, engine: str) -> dict:
    """The night run through the DAG into a warehouse of its own; what it published."""
    from pipelines.airflow_runner import run_night

    name = f"dukcapil_spark_{uuid.uuid4().hex[:10]}"
    ensure_database(server_url(), name)
    with monkeypatch.context() as patch:
        patch.setenv("WAREHOUSE_URL", with_database(server_url(), name))
        patch.setenv("DUKCAPIL_IDENTITY_ENGINE", engine)
        migrate()
        try:
            assert run_night(landing, NIGHT) == "success"
            with connect() as conn, conn.cursor() as cur:
                published = {table: _rows(cur, table) for table in PUBLISHED}
                cur.execute("SELECT person_id, array_agg(district_code || ':' || source_row ORDER BY 1)"
                            " FROM warehouse.resident_record WHERE export_date = %s GROUP BY 1", (NIGHT,))
                persons = {frozenset(records) for _, records in cur.fetchall()}
                cur.execute("SELECT count(*) FILTER (WHERE rule = 'splink'), count(*) FROM warehouse.identity_link")
                links = cur.fetchone()
        finally:
            with connect(server_url(), autocommit=True) as conn, conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {"published": published, "persons": persons, "links": links}


def _jvms() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "java" in p.name()]


def test_first_night_on_spark_gives_the_same_persons_and_publishes_the_same(landing, monkeypatch):
    scored_on = []
    opened = spark.spark_api

    @contextlib.contextmanager
    def recorded():
        with opened() as api:
            scored_on.append(type(api).__name__)
            yield api

    monkeypatch.setattr(spark, "spark_api", recorded)
    on_duckdb = _night(landing, monkeypatch, "duckdb")
    assert scored_on == [], "the default engine is DuckDB"
    on_spark = _night(landing, monkeypatch, "spark")
    assert scored_on and set(scored_on) == {"SparkAPI"}, "the night was scored on Spark"
    # The model decided some of it: pairs joined by weight, not only by NIK.
    splink_links, links = on_duckdb["links"]
    assert splink_links > 0 and links > splink_links
    assert len(on_spark["persons"]) == len(on_duckdb["persons"])
    assert on_spark["persons"] == on_duckdb["persons"], "the same partition of records into persons"
    for table in PUBLISHED:
        assert on_spark["published"][table] == on_duckdb["published"][table], table
    assert _jvms(), "Spark ran in a JVM this process started"
    spark.stop()
    psutil.wait_procs(_jvms(), timeout=30)
    assert not _jvms(), "the JVM is gone once the session is stopped"
