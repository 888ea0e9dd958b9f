"""DAG integrity, in the style of astronomer's: every DAG file imports without
errors and without touching a database, carries tags, an owner and retries,
and the nightly DAG keeps the steps and order the night relies on."""

from __future__ import annotations

import pytest

from pipelines.settings import PROJECT_ROOT

NIGHTLY_ORDER = {  # task -> the tasks it waits for
    "plan": set(),
    "stage": {"plan"},
    "identity": {"plan", "stage"},
    "publish": {"plan", "identity"},
    "marts": {"plan", "publish"},
    "report": {"plan", "stage", "marts"},
}


@pytest.fixture(scope="module")
def parsed():
    """The dags/ folder as the scheduler's DAG processor reads it, with every
    database connection refused and recorded."""
    import psycopg2
    from airflow.dag_processing.dagbag import DagBag

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args or kwargs)
        raise psycopg2.OperationalError("no database while parsing DAG files")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg2, "connect", refuse)
        bag = DagBag(dag_folder=PROJECT_ROOT / "dags")  # examples are off (conftest: Airflow settings)
    return bag, attempts


def test_every_dag_file_imports_without_errors(parsed):
    bag, _ = parsed
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == {"dukcapil_nightly", "bapenda_matching"}


def test_parsing_touches_no_database(parsed):
    _, attempts = parsed
    assert attempts == []


def test_every_dag_has_tags_an_owner_and_retries(parsed):
    bag, _ = parsed
    for dag_id, dag in bag.dags.items():
        assert dag.tags, dag_id
        for task in dag.tasks:
            assert task.owner and task.owner != "airflow", (dag_id, task.task_id)
        assert dag.default_args.get("retries", 0) >= 1, dag_id


def test_the_nightly_dag_wires_the_night_in_order(parsed):
    bag, _ = parsed
    dag = bag.dags["dukcapil_nightly"]
    assert {task.task_id: task.upstream_task_ids for task in dag.tasks} == NIGHTLY_ORDER
    assert dag.max_active_runs == 1 and not dag.catchup
    assert dag.get_task("plan").retries == 0  # taking the lease twice would wait on itself
