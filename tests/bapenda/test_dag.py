"""The DAG waits for a new register and a published identity, and only wires."""

from __future__ import annotations

from pipelines.settings import PROJECT_ROOT


def test_dag_schedules_on_register_and_identity():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=PROJECT_ROOT / "dags" / "bapenda_matching.py")
    assert bag.import_errors == {}
    dag = bag.dags["bapenda_matching"]  # get_dag would consult the metadata DB
    assert {t.task_id for t in dag.tasks} == {"match"}
    condition = dag.timetable.asset_condition
    assert type(condition).__name__ == "AssetAll"  # both, not either
    uris = {asset.uri for asset in condition.objects}
    assert "dukcapil://warehouse/identity" in uris
    assert any(uri.startswith("file://") and uri.endswith("/arrears.csv") for uri in uris)
