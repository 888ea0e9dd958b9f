"""The real DAG, run through Airflow's dag.test() against the real PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import sqlite3
from pathlib import Path

import pytest

from pipelines.warehouse import connect

NIGHT1 = dt.date(2026, 11, 25)
NIGHT2 = dt.date(2026, 11, 26)
IDS_OF_NIGHT = "SELECT nik || nama_lgkp || tgl_lhr, person_id FROM warehouse.resident_record WHERE export_date = %s"
CHECKED_TABLES = ("warehouse.resident_record", "warehouse.record_identity", "warehouse.person",
                  "warehouse.identity_node", "quarantine.record", "mart.ektp_coverage", "audit.rule_count")


def scalar(statement: str, params=None):
    with connect() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()[0]


def checksums() -> dict[str, str]:
    return {table: scalar(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")
            for table in CHECKED_TABLES}


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    from pipelines.sample import generate

    root = tmp_path_factory.mktemp("landing")
    generate(root, [NIGHT1, NIGHT2], persons=3000, seed=7)
    # Night 2: Kota Cilegon's export never arrived.
    for path in (root / NIGHT2.isoformat()).glob("3672.*"):
        path.unlink()
    return root


@pytest.fixture(scope="module")
def notify_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("notify") / "summaries.txt"
    os.environ.update(DUKCAPIL_NOTIFIERS="tests.notifiers:recording", DUKCAPIL_TEST_NOTIFY_FILE=str(path))
    yield path
    for key in ("DUKCAPIL_NOTIFIERS", "DUKCAPIL_TEST_NOTIFY_FILE"):
        os.environ.pop(key, None)


@pytest.fixture(scope="module")
def run_log(tmp_path_factory):
    """Everything logged while the DAG runs, to scan for personal data."""
    path = tmp_path_factory.mktemp("log") / "run.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    logging.getLogger().addHandler(handler)
    yield path
    logging.getLogger().removeHandler(handler)


@pytest.fixture(scope="module")
def first_night(landing, notify_file, run_log):
    from pipelines.airflow_runner import run_night

    assert run_night(landing, NIGHT1) == "success"
    return checksums()


def test_dag_folder_parses_without_import_errors():
    from pipelines.airflow_runner import prepare_airflow
    from pipelines.settings import PROJECT_ROOT

    prepare_airflow()
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=PROJECT_ROOT / "dags")
    assert bag.import_errors == {}
    dag = bag.get_dag("dukcapil_nightly")
    assert {t.task_id for t in dag.tasks} == {"plan", "stage", "identity", "publish", "marts", "report"}
    assert dag.timetable.summary == "0 2 * * *"  # in Jakarta, named by the night: tests/test_schedule.py
    assert "night" in dag.params


def test_every_district_loaded_and_counts_add_up(first_night):
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT district_code, status, rows_read, rows_loaded, rows_quarantined FROM audit.file_load"
                    " WHERE export_date = %s ORDER BY 1", (NIGHT1,))
        loads = cur.fetchall()
    assert [row[0] for row in loads] == ["3601", "3602", "3603", "3604", "3671", "3672", "3673", "3674"]
    for district, status, read, loaded, quarantined in loads:
        assert status == "loaded", district
        assert read == loaded + quarantined > 0
        assert loaded == scalar("SELECT count(*) FROM warehouse.resident_record WHERE export_date = %s"
                                " AND district_code = %s", (NIGHT1, district))
        assert quarantined == scalar("SELECT count(*) FROM quarantine.record WHERE export_date = %s"
                                     " AND district_code = %s", (NIGHT1, district))
    # Every loaded record names a person (versions staged by runs that never published may not).
    assert scalar("SELECT count(*) FROM warehouse.night_record r CROSS JOIN LATERAL unnest(r.version_ids) AS x(id)"
                  " JOIN warehouse.record_version v ON v.version_id = x.id"
                  " LEFT JOIN warehouse.identity_node n USING (node_id) WHERE n.person_id IS NULL") == 0
    assert scalar("SELECT count(*) FROM warehouse.person") > 2500
    assert scalar("SELECT sum(wajib_ktp) FROM mart.ektp_coverage WHERE export_date = %s", (NIGHT1,)) > 0


def test_summary_reaches_the_configured_notifier(first_night, notify_file):
    text = notify_file.read_text(encoding="utf-8")
    assert f"Malam {NIGHT1}" in text and "3601: loaded" in text


def test_no_personal_data_in_reports_data_docs_logs_xcoms_or_notifications(first_night, landing, notify_file,
                                                                          run_log):
    niks, names = set(), set()
    for path in (landing / NIGHT1.isoformat()).glob("*.csv"):
        with path.open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                niks.add(row["NIK"])
                if len(row["NAMA_LGKP"]) >= 10:
                    names.add(row["NAMA_LGKP"])
    reports = Path(os.environ["DUKCAPIL_REPORTS"]) / NIGHT1.isoformat()
    assert (reports / "index.html").exists() and (reports / "data_docs" / "index.html").exists()
    # dag.test() writes no task log files: what the tasks log is the run log
    # captured here (the Celery workers' task logs: tests/distributed).
    texts = {str(p): p.read_text(encoding="utf-8", errors="replace") for p in reports.rglob("*") if p.is_file()}
    texts["notifications"] = notify_file.read_text(encoding="utf-8")
    texts["log"] = run_log.read_text(encoding="utf-8")
    assert "staged" in texts["log"], "the run's own log lines were captured"
    with sqlite3.connect(Path(os.environ["AIRFLOW_HOME"]) / "airflow.db") as meta:
        texts["xcom"] = " ".join(str(value) for (value,) in meta.execute("SELECT value FROM xcom"))
    sixteen_digits = re.compile(r"(?<!\d)\d{16}(?!\d)")
    for where, text in texts.items():
        leaked = set(sixteen_digits.findall(text)) & niks
        assert not leaked, f"full NIK in {where}"
        assert not any(name in text for name in names), f"full name in {where}"


def test_data_docs_agree_with_the_report_and_open_offline(first_night):
    from pipelines.settings import reports_dir

    folder = reports_dir() / NIGHT1.isoformat()
    report = (folder / "index.html").read_text(encoding="utf-8")
    pages = re.findall(r'<a href="(data_docs/validations/[^"]+)">Rincian validasi berkas ini</a>', report)
    assert len(pages) == 8  # every loaded district links its own page: plain HTML, no script needed
    for page in pages:
        text = (folder / page).read_text(encoding="utf-8")
        # A rule that quarantined rows did not fail the file: the page says "Succeeded", as the report says loaded.
        status = re.search(r"Status:</span>\s*<i[^>]*></i>\s*(\w+)", text)[1]
        assert status == "Succeeded"


def run_cli(landing: Path, night: dt.date, capfd) -> tuple[int, str, str]:
    """`dukcapil run` as an operator runs it: exit code, what the terminal shows, the log file."""
    from pipelines.cli import main

    code = main(["run", "--landing", str(landing), "--night", night.isoformat()])
    shown = capfd.readouterr().out
    log = Path(re.search(r"Log lengkap: (\S+)", shown)[1]).read_text(encoding="utf-8")
    return code, shown, log


def test_same_night_again_changes_nothing(first_night, landing, capfd, tmp_path, monkeypatch):
    monkeypatch.setenv("DUKCAPIL_LOCAL_DIR", str(tmp_path))
    code, shown, _ = run_cli(landing, NIGHT1, capfd)
    assert code == 0
    assert checksums() == first_night
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s AND status = 'unchanged'",
                  (NIGHT1,)) == 8
    # What this run did: nothing loaded again, and it says so.
    assert shown.count("tidak berubah (sama dengan berkas yang sudah dimuat)") == 8
    assert " dimuat " not in shown.split("Kab/Kota", 1)[1]


def test_missing_district_does_not_block_the_others(first_night, landing, capfd, tmp_path, monkeypatch):
    monkeypatch.setenv("DUKCAPIL_LOCAL_DIR", str(tmp_path))
    ids_before = dict_query(IDS_OF_NIGHT, (NIGHT1,))
    code, shown, log = run_cli(landing, NIGHT2, capfd)
    assert code == 3  # some districts missing, the others published
    status = dict_query("SELECT district_code, status FROM audit.file_load WHERE export_date = %s", (NIGHT2,))
    assert status.pop("3672") == "rejected"
    assert set(status.values()) == {"loaded"}
    assert scalar("SELECT reason FROM audit.file_load WHERE export_date = %s AND district_code = '3672'",
                  (NIGHT2,)) == "Berkas ekspor malam ini tidak diterima."
    ids_after = dict_query(IDS_OF_NIGHT, (NIGHT2,))
    shared = ids_before.keys() & ids_after.keys()
    assert len(shared) > 2000
    assert all(ids_before[key] == ids_after[key] for key in shared), "person_id must be stable across nights"

    # Quiet by default: a progress line per district, a closing table, the log in a file.
    progress = [line for line in shown.splitlines() if line.startswith("[")]
    assert [line[:5] for line in progress] == [f"[{n}/8]" for n in range(1, 9)]
    assert any(re.fullmatch(r"\[\d/8\] 3603 Kab\. Tangerang: dimuat [\d.]+, karantina [\d.]+", line)
               for line in progress)
    assert "3672 Kota Cilegon: tidak diterima" in shown
    assert len(shown.splitlines()) < 30
    for noise in ("Skipping registering function", "httpx", "XCom not found", "[error", "Traceback"):
        assert noise not in shown and noise not in log
    assert "Task instance state updated" in log  # the full log is there

    # In Airflow's grid: the run carries the export night, each stage its district, the
    # missing district ends skipped while the others published.
    with sqlite3.connect(Path(os.environ["AIRFLOW_HOME"]) / "airflow.db") as meta:
        run_id, note = meta.execute("SELECT r.run_id, n.content FROM dag_run r JOIN dag_run_note n"
                                    " ON n.dag_run_id = r.id ORDER BY r.id DESC LIMIT 1").fetchone()
        states = dict(meta.execute("SELECT coalesce(rendered_map_index, task_id), state FROM task_instance"
                                   " WHERE run_id = ?", (run_id,)).fetchall())
    assert note == f"Malam ekspor {NIGHT2}"
    assert states.pop("3672 Kota Cilegon") == "skipped"
    assert states["3603 Kab. Tangerang"] == "success" and states["publish"] == "success"
    assert set(states.values()) == {"success"}


def test_night_without_files_loads_nothing_and_exits_4(first_night, landing, capfd, tmp_path, monkeypatch):
    monkeypatch.setenv("DUKCAPIL_LOCAL_DIR", str(tmp_path))
    empty = tmp_path / "landing"
    (empty / NIGHT1.isoformat()).mkdir(parents=True)
    code, shown, _ = run_cli(empty, NIGHT1, capfd)
    assert code == 4
    assert shown.count("tidak diterima") >= 8 and "tidak ada kab/kota yang dimuat" in shown
    # The night loaded earlier is still what the warehouse holds.
    assert scalar("SELECT count(*) FROM audit.file_load WHERE export_date = %s AND status = 'rejected'",
                  (NIGHT1,)) == 0


def dict_query(statement: str, params) -> dict:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return dict(cur.fetchall())


def test_scheduled_run_loads_the_previous_jakarta_night():
    from pipelines.settings import export_night

    # 02:00 in Jakarta is 19:00 UTC the day before; workers pass a plain datetime.
    assert export_night(dt.datetime(2026, 11, 26, 19, 0, tzinfo=dt.timezone.utc)) == dt.date(2026, 11, 26)
