"""A big night matched in batches (resolve.py) decides as if matched at once.

The generated sample is staged for real and resolved twice inside transactions
that are rolled back: once at once, once in batches cut between districts.
Production cuts between birth years, which keeps nearly every duplicate inside
one batch; cutting by district puts every mover's two records in different
batches, the hardest case for the hand-over between batches. Whatever the cut,
the persons must be the same.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from identity_eval import read_sample_night, score, staged_persons

from pipelines import nightly
from pipelines.contract import DISTRICTS
from pipelines.identity import resolve
from pipelines.sample import generate
from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export

NIGHT = dt.date(2026, 12, 15)  # a night no other test stages


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> pd.DataFrame:
    landing = tmp_path_factory.mktemp("landing")
    generate(landing, [NIGHT], persons=20_000, seed=5)
    for district in DISTRICTS:
        nightly.stage_district(landing, NIGHT, district)
    yield read_sample_night(landing, NIGHT)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM staging.load WHERE export_date = %s", (NIGHT,))


def _resolve(check=None) -> dict[str, str]:
    """record (district:row) -> person for the night; nothing is kept."""
    with connect() as conn, conn.cursor() as cur:
        resolve.resolve_night(cur, NIGHT)
        person_of = staged_persons(cur, NIGHT)
        if check:
            check(cur)
        conn.rollback()
    return person_of


def _three_batches_by_district(cells: pd.DataFrame, size: int) -> pd.DataFrame:
    batch = cells["export_key"].rank(method="dense").astype(int) % 3
    return cells.assign(batch=batch)[["export_key", "birth_year", "batch"]]


def _partition(person_of: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for record, person in person_of.items():
        members.setdefault(person, set()).add(record)
    return {frozenset(m) for m in members.values()}


def _scalar(cur, statement: str, params=()):
    cur.execute(statement, params)
    return cur.fetchone()[0]


def _batched_night_is_consistent(cur) -> None:
    assert _scalar(cur, "SELECT max(batch) + 1 FROM night_batch") > 2, "the night was really batched"
    # Persons whose nodes came in different batches: later batches merged into earlier ones.
    assert _scalar(cur, """SELECT count(*) FROM (
                               SELECT s.person_id FROM staging.identity_node s JOIN night_node n USING (node_id)
                               JOIN night_batch b ON b.export_key = n.export_key AND b.birth_year = n.birth_year
                               WHERE s.export_date = %s GROUP BY 1 HAVING count(DISTINCT b.batch) > 1) x""",
                   (NIGHT,)) > 0
    assert _scalar(cur, "SELECT count(*) FROM staging.person_redirect WHERE night = %s", (NIGHT,)) == 0, \
        "ids minted tonight are never redirected"
    assert _scalar(cur, """SELECT count(*) FROM staging.identity_review WHERE night = %s
                           AND (person_l = person_r OR person_l NOT IN (SELECT person_id FROM staging.identity_node)
                                OR person_r NOT IN (SELECT person_id FROM staging.identity_node))""", (NIGHT,)) == 0
    staged = staged_persons(cur, NIGHT)
    resolve.publish_identity(cur, NIGHT)
    assert _scalar(cur, "SELECT count(*) FROM warehouse.person_redirect") == 0
    # Every record's node is published with the person staging gave it.
    cur.execute("""SELECT r.district_code || ':' || r.source_row, w.person_id FROM night_record r
                   LEFT JOIN warehouse.identity_node w USING (node_id)""")
    assert dict(cur.fetchall()) == staged


def test_batches_give_the_same_persons(records, monkeypatch):
    at_once = _resolve()
    monkeypatch.setattr(resolve, "_batches", _three_batches_by_district)
    batched = _resolve(_batched_night_is_consistent)
    assert batched.keys() == at_once.keys()
    staged = records[records["unique_id"].isin(at_once)]  # not the few the validation quarantined
    assert len(staged) > 0.98 * len(records)
    expected, result = score(staged, at_once), score(staged, batched)
    assert result.precision >= 0.995 and result.recall >= 0.95, result
    assert result.twins_merged == 0 and result.collisions_apart == result.collisions, result
    assert result.double_nik_found == expected.double_nik_found > 0, result
    assert _partition(batched) == _partition(at_once)


def test_a_later_batch_joining_two_of_tonights_persons_rewrites_them(tmp_path, monkeypatch):
    night = dt.date(2026, 12, 20)
    # A and B share no blocking key; C holds A's NIK and B's name and mother.
    rows = {"3601": valid_row(31, NAMA_LGKP="BAMBAN SUTRISNA", NIK="3601011505800031", NAMA_LGKP_IBU=""),
            "3602": valid_row(32, NAMA_LGKP="BAMBANG SUTRISNO", NIK="3601011505800032", NAMA_LGKP_IBU="SRI WAHYUNI",
                              NO_KAB="02", NO_KEC="01", NO_KEL="2002"),
            "3603": valid_row(33, NAMA_LGKP="BAMBANG SUTRISNO", NIK="3601011505800031", NAMA_LGKP_IBU="SRI WAHYUNI",
                              NO_KAB="03", NO_KEC="01", NO_KEL="1001")}
    for district, row in rows.items():
        write_export(tmp_path / night.isoformat(), district, csv_text([row]))
        nightly.stage_district(tmp_path, night, district)
    monkeypatch.setenv("DUKCAPIL_IDENTITY_BATCH", "1")
    try:
        with connect() as conn, conn.cursor() as cur:
            resolve.resolve_night(cur, night)
            assert _scalar(cur, "SELECT max(batch) + 1 FROM night_batch") == 3
            cur.execute("SELECT DISTINCT person_id FROM staging.identity_node WHERE export_date = %s", (night,))
            person = cur.fetchall()
            assert len(person) == 1, "the third batch joined the first two persons"
            cur.execute("SELECT DISTINCT n.person_id FROM night_record r JOIN staging.identity_node n"
                        " ON n.node_id = r.node_id AND n.export_date = %s", (night,))
            assert cur.fetchall() == person
            assert _scalar(cur, "SELECT count(*) FROM staging.person_redirect WHERE night = %s", (night,)) == 0
            resolve.publish_identity(cur, night)
            assert _scalar(cur, "SELECT count(*) FROM warehouse.person_redirect") == 0, "B's id was never published"
            conn.rollback()
    finally:
        with connect() as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM staging.load WHERE export_date = %s", (night,))


def test_batches_keep_birth_years_whole_and_cut_big_ones_by_district():
    cells = pd.DataFrame([("3601", 1980, 40), ("3602", 1980, 30), ("3601", 1990, 20), ("3603", 1990, 50),
                          ("3604", 1970, 30)], columns=["export_key", "birth_year", "nodes"])
    batches = resolve._batches(cells, 50)
    assert batches.values.tolist() == [["3604", 1970, 0], ["3601", 1980, 1], ["3602", 1980, 2],
                                       ["3601", 1990, 3], ["3603", 1990, 4]]
    assert resolve._batches(cells, 70)["batch"].tolist() == [0, 1, 1, 2, 2]
    assert resolve._batches(cells, 1_000)["batch"].eq(0).all()
