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


def test_dag_run_matches_the_register_in_the_inbox(sample, register, tmp_path, monkeypatch):
    import csv

    from pipelines.airflow_runner import load_dag, prepare_airflow

    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "arrears.csv").write_bytes(register.read_bytes())
    monkeypatch.setenv("DUKCAPIL_BAPENDA_INBOX", str(inbox))
    monkeypatch.setenv("DUKCAPIL_BAPENDA_OUTBOX", str(outbox))
    prepare_airflow()
    run = load_dag("bapenda_matching").test()
    assert str(run.state) == "success"
    (result,) = outbox.glob("*/hasil_pencocokan.csv")
    with result.open(encoding="utf-8") as handle, register.open(encoding="utf-8") as source:
        assert sum(1 for _ in csv.reader(handle)) == sum(1 for _ in csv.reader(source))
