"""Only regular files inside the landing folder are read: a symbolic link is
refused with a clear reason and its target never read; a run's `landing` param
must lie inside DUKCAPIL_LANDING; a rejected file keeps its sha256."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from pipelines import ingest, nightly
from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export

NIGHT = dt.date(2026, 6, 1)


def file_load(district: str) -> tuple:
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT status, file_sha256, reason, rows_loaded FROM staging.load"
                    " WHERE export_date = %s AND district_code = %s", (NIGHT, district))
        return cur.fetchone()


@pytest.fixture
def outside(tmp_path):
    """A valid export lying outside the landing folder."""
    return write_export(tmp_path / "elsewhere", "3601", csv_text([valid_row(i) for i in range(1, 6)]))


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_symlink_is_refused_and_its_target_never_read(tmp_path, outside, linked):
    landing = tmp_path / "landing"
    folder = landing / NIGHT.isoformat()
    if linked == "file":
        folder.mkdir(parents=True)
        (folder / "3601.csv").symlink_to(outside)
    else:
        landing.mkdir()
        folder.symlink_to(outside.parent, target_is_directory=True)
    outcome = nightly.stage_district(landing, NIGHT, "3601")
    assert outcome["status"] == "rejected" and outcome["rows_read"] == 0
    status, digest, reason, loaded = file_load("3601")
    assert (status, digest, loaded) == ("rejected", None, 0)
    assert reason == ingest.NOT_REGULAR and "tautan simbolik" in reason


def test_the_open_itself_refuses_a_symlink(tmp_path, outside):
    link = tmp_path / "3601.csv"
    link.symlink_to(outside)
    with pytest.raises(ingest.FileRejected, match="tautan simbolik"):
        ingest.sha256_of(link)


def test_a_rejected_file_keeps_its_sha256(tmp_path):
    path = write_export(tmp_path / NIGHT.isoformat(), "3602", b"\x00\x01 not a csv \xff" * 40)
    outcome = nightly.stage_district(tmp_path, NIGHT, "3602")
    assert outcome["status"] == "rejected"
    assert file_load("3602")[1] == outcome["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_landing_param_must_lie_inside_the_landing_folder(tmp_path, monkeypatch):
    from pipelines.settings import landing_for

    monkeypatch.setenv("DUKCAPIL_LANDING", str(tmp_path / "landing"))
    (tmp_path / "landing" / "sub").mkdir(parents=True)
    (tmp_path / "landing" / "out").symlink_to(tmp_path)
    assert landing_for(None) == (tmp_path / "landing").resolve()
    assert landing_for(str(tmp_path / "landing" / "sub")) == (tmp_path / "landing" / "sub").resolve()
    for hostile in ("/etc", str(tmp_path / "landing" / ".." / "elsewhere"), str(tmp_path / "landing" / "out")):
        with pytest.raises(ValueError, match="not inside DUKCAPIL_LANDING"):
            landing_for(hostile)


def test_the_dag_refuses_a_landing_param_outside(tmp_path, monkeypatch):
    from pipelines.airflow_runner import load_dag, prepare_airflow

    monkeypatch.setenv("DUKCAPIL_LANDING", str(tmp_path / "landing"))
    prepare_airflow()
    run = load_dag("dukcapil_nightly").test(run_conf={"night": NIGHT.isoformat(), "landing": str(tmp_path)})
    assert str(run.state) == "failed"
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM staging.load WHERE export_date = %s AND district_code NOT IN"
                    " ('3601', '3602')", (NIGHT,))
        assert cur.fetchone()[0] == 0
