"""An ordinary night's publish refreshes only the persons it touches. After each
of three real nights of a generated sample, the golden records and the kept
winners must equal what every record of the night gives, computed from scratch
through warehouse.person_night: a person or a version missed among the touched
ones keeps a stale record and fails here."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import nightly
from pipelines.contract import DISTRICTS
from pipelines.sample import generate
from pipelines.warehouse import connect

NIGHTS = [dt.date(2044, 2, day) for day in range(1, 4)]

# Each listed person's winner of the night beside their golden record, the
# winner's version beside the version of the record the golden record names.
_AGAINST_WINNERS = """
SELECT w.person_id, g.person_id IS NOT NULL AS has_golden, g.delisted_on,
       (w.nik, w.nama_lgkp, w.tgl_lhr, w.jenis_klmin, w.stat_hidup, w.ektp_current_status_code,
        w.district_code, w.kecamatan_code, w.desa_code)
       IS NOT DISTINCT FROM
       (g.nik, g.nama_lgkp, g.tgl_lhr, g.jenis_klmin, g.stat_hidup, g.ektp_status,
        g.district_code, g.kecamatan_code, g.desa_code) AS same_identity,
       (w.tmpt_lhr IS NULL OR w.tmpt_lhr = g.tmpt_lhr) AND (w.stat_kwn IS NULL OR w.stat_kwn = g.stat_kwn)
       AND (w.alamat IS NULL OR w.alamat = g.alamat) AND (w.no_rt IS NULL OR w.no_rt = g.no_rt)
       AND (w.no_rw IS NULL OR w.no_rw = g.no_rw) AS same_attributes,
       s.version_id IS NOT DISTINCT FROM w.version_id AS same_source,
       EXISTS (SELECT FROM warehouse.person_residence h WHERE h.person_id = w.person_id AND h.valid_to IS NULL
               AND h.desa_code = w.desa_code) AS residence_open
FROM warehouse.person_night w
LEFT JOIN warehouse.golden_record g USING (person_id)
LEFT JOIN warehouse.resident_record s
       ON (s.export_date, s.district_code, s.source_row) = (g.source_export_date, g.source_district_code, g.source_row)
WHERE w.export_date = %(night)s
"""

_UNLISTED_NOT_DELISTED = """
SELECT count(*) FROM warehouse.golden_record g
WHERE g.delisted_on IS NULL
  AND NOT EXISTS (SELECT FROM warehouse.person_night w WHERE w.export_date = %(night)s AND w.person_id = g.person_id)
"""

_WINNERS_LONG_WAY = """
SELECT person_id, district_code, kecamatan_code, desa_code, stat_hidup, tgl_lhr, stat_kwn, ektp_current_status_code
FROM warehouse.person_night WHERE export_date = %(night)s
"""


def _mismatches(night: dt.date) -> dict[str, object]:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(_AGAINST_WINNERS, {"night": night})
        rows = cur.fetchall()
        assert rows
        found = {check: sorted(row[0] for row in rows if not ok(row))
                 for check, ok in {"no golden record": lambda r: r[1], "delisted": lambda r: r[2] is None,
                                   "identity": lambda r: r[3], "attributes": lambda r: r[4],
                                   "source": lambda r: r[5], "residence": lambda r: r[6]}.items()}
        cur.execute(_UNLISTED_NOT_DELISTED, {"night": night})
        found["unlisted, not delisted"] = cur.fetchone()[0]
        cur.execute("SELECT night FROM warehouse.person_winner_night")
        found["winners kept for"] = cur.fetchone()
        cur.execute(f"({_WINNERS_LONG_WAY} EXCEPT SELECT * FROM warehouse.person_winner)"
                    f" UNION ALL (SELECT * FROM warehouse.person_winner EXCEPT {_WINNERS_LONG_WAY})", {"night": night})
        found["winners differing"] = cur.rowcount
        return found


@pytest.fixture
def published(tmp_path, own_warehouse):
    generate(tmp_path, NIGHTS, persons=800, seed=8)
    found, changed = [], []
    for night in NIGHTS:
        outcomes = [nightly.stage_district(tmp_path, night, district) for district in DISTRICTS]
        changed.append(sum(o["rows_read"] - o["rows_unchanged"] for o in outcomes))
        nightly.resolve_identity(night)
        nightly.publish_night(night)
        found.append(_mismatches(night))
    return found, changed


def test_golden_records_and_winners_of_every_night_equal_those_from_every_record(published):
    found, changed = published
    assert all(changed[1:]) and changed[-1] < changed[0] / 10  # ordinary nights, touching few
    for night, mismatches in zip(NIGHTS, found, strict=True):
        assert mismatches == {"no golden record": [], "delisted": [], "identity": [], "attributes": [],
                              "source": [], "residence": [], "unlisted, not delisted": 0,
                              "winners kept for": (night,), "winners differing": 0}, night
