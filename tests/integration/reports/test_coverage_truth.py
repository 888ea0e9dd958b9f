"""mart.ektp_coverage against the sample's truth: a small sample through the
real staging step (ingest, validation), published with every record given its
true person instead of the identity step's decision, so the mart is judged on
its own: each human counted once (movers still listed by their old district,
people registered twice), at their true residence, minors and the dead left out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest

from pipelines import nightly
from pipelines.contract import DISTRICTS
from pipelines.nightly import build_marts
from pipelines.sample import generate
from pipelines.sql import run_statements
from pipelines.warehouse import connect

NIGHTS = [dt.date(2042, 2, 1), dt.date(2042, 2, 2), dt.date(2042, 2, 3)]
PERSONS = 1_500


def _csv(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    landing = tmp_path_factory.mktemp("sample")
    generate(landing, NIGHTS, persons=PERSONS, seed=11)
    for night in NIGHTS:
        for district in DISTRICTS:
            nightly.stage_district(landing, night, district)
        with connect() as conn, conn.cursor() as cur:
            _publish_with_true_identity(cur, night, _csv(landing / "truth" / f"records_{night}.csv"))
            build_marts(cur, night)
    return landing


def _publish_with_true_identity(cur, night: dt.date, records: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows((r["district_code"], r["source_row"], r["true_person_id"]) for r in records)
    buffer.seek(0)
    cur.execute("CREATE TEMP TABLE truth (district_code text, source_row int, person_id text) ON COMMIT DROP")
    cur.copy_expert("COPY truth FROM STDIN WITH (FORMAT csv)", buffer)
    # Each staged record's identity node named by the truth: the warehouse then
    # names records by the true person.
    cur.execute("""INSERT INTO warehouse.identity_node (node_id, person_id, first_night)
                   SELECT warehouse.node_id_of(s.nik, s.no_kk, s.nama_lgkp, s.jenis_klmin, s.tmpt_lhr, s.tgl_lhr,
                                               s.nama_lgkp_ibu, s.nama_lgkp_ayah), t.person_id, l.export_date
                   FROM staging.load l JOIN staging.resident s USING (load_id)
                   JOIN truth t ON t.district_code = l.district_code AND t.source_row = s.source_row
                   WHERE l.export_date = %s AND l.status = 'staged'
                   ON CONFLICT DO NOTHING""", (night,))
    cur.execute("SELECT load_id, district_code FROM staging.load WHERE export_date = %s AND status = 'staged'",
                (night,))
    for load_id, district in cur.fetchall():
        params = {"night": night, "district": district, "load_id": load_id}
        run_statements(cur, "pipelines.warehouse", "publish_load", params)
        run_statements(cur, "pipelines.warehouse", "record_file_load", params)
    cur.execute("DELETE FROM staging.load WHERE export_date = %s", (night,))


@pytest.mark.parametrize("night", NIGHTS)
def test_coverage_per_desa_equals_the_truth(sample, night):
    records = _csv(sample / "truth" / f"records_{night}.csv")
    doubles = {r["true_person_id"] for r in records if r["anomaly"] == "double_nik"}
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT DISTINCT person_id FROM warehouse.record_identity WHERE export_date = %s", (night,))
        loaded = {person for (person,) in cur.fetchall()}
        cur.execute("SELECT desa_code, wajib_ktp, recorded FROM mart.ektp_coverage WHERE export_date = %s", (night,))
        mart = {desa: Counter(wajib=wajib, recorded=recorded) for desa, wajib, recorded in cur.fetchall()}
        cur.execute("""SELECT DISTINCT desa_code FROM warehouse.resident_record
                       WHERE export_date = %s AND person_id = ANY(%s)""", (night, sorted(doubles)))
        double_desa = {desa for (desa,) in cur.fetchall()}
    residents = _csv(sample / "truth" / f"residence_{night}.csv")
    assert len(loaded) > 0.97 * len(residents)  # the sample's rows are nearly all valid
    truth: dict[str, Counter] = {}
    for person in residents:
        if person["true_person_id"] in loaded and person["wajib_ktp"] == "1" and person["alive"] == "1":
            truth.setdefault(person["desa_code"], Counter()).update(
                wajib=1, recorded=int(int(person["ektp_status"]) >= 3))
    # Every human once: the province totals are exact.
    assert sum(mart.values(), Counter()) == sum(truth.values(), Counter())
    # Every desa exact too, except where a twice-registered person lives or
    # holds their second card: person_night places them by their most recently
    # changed record, which may be the second registration, not the sample's
    # true residence (the original one).
    wrong = {desa for desa in mart.keys() | truth.keys()
             if +mart.get(desa, Counter()) != +truth.get(desa, Counter())}
    assert wrong <= double_desa
