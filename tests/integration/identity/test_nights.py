"""Identity through the real night (stage -> resolve -> publish) on hand-made files."""

from __future__ import annotations

import datetime as dt

from pipelines import nightly
from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export

N1, N2, N3 = dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)


def _night(tmp_path, night, rows_by_district):
    for district, rows in rows_by_district.items():
        write_export(tmp_path / night.isoformat(), district, csv_text(rows))
        nightly.stage_district(tmp_path, night, district)
    nightly.resolve_identity(night)
    nightly.publish_night(night)


def _ids(night):
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT district_code, source_row, person_id FROM warehouse.record_identity"
                    " WHERE export_date = %s ORDER BY 1, 2", (night,))
        return {(d, r): p for d, r, p in cur.fetchall()}


def _scalar(statement, params=()):
    with connect() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()[0]


def person(serial, name, nik_serial=None, **over):
    over.setdefault("NIK", f"360101150580{nik_serial or serial:04d}")
    return valid_row(serial, NAMA_LGKP=name, **over)


def test_twins_collision_double_nik_and_stable_ids(tmp_path):
    family = "3601012001100777"
    rows = [
        person(1, "HASAN BASRI", NO_KK=family, NAMA_LGKP_IBU="SITI AMINAH"),
        person(2, "HUSEN BASRI", NO_KK=family, NAMA_LGKP_IBU="SITI AMINAH"),  # twin of 1
        person(3, "DEDI KURNIAWAN"),
        # same NIK as 3 but another human: other name, birth date, sex
        person(4, "ENENG NURHAYATI", nik_serial=3, TGL_LHR="1991-02-03", JENIS_KLMIN="2"),
        # 5 is 6 registered again elsewhere under another NIK, name spelled the old way
        person(5, "MOCH. DJUNAEDI", NAMA_LGKP_IBU="ROHAYATI", TMPT_LHR="PANDEGLANG"),
    ]
    dup = person(6, "MUHAMMAD JUNAEDI", NAMA_LGKP_IBU="ROHAYATI", TMPT_LHR="KAB. PANDEGLANG",
                 NIK="3602031505800042", NO_KK="3601011505800099")
    _night(tmp_path, N1, {"3601": rows})
    ids = _ids(N1)
    assert ids[("3601", 1)] != ids[("3601", 2)], "twins must never merge"
    assert ids[("3601", 3)] != ids[("3601", 4)], "two people under one NIK stay apart"
    assert _scalar("SELECT count(*) FROM warehouse.nik_collision WHERE nik = '3601011505800003'") == 1
    _night(tmp_path, N2, {"3601": rows + [dup]})
    again = _ids(N2)
    assert {k: v for k, v in again.items() if k[1] <= 5} == ids, "unchanged records keep their ids"
    assert again[("3601", 6)] == ids[("3601", 5)], "double registration joins the person"


def _queued(*niks):
    """Undecided pairs between records of these NIKs (tests share one warehouse)."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT r.node_l, r.node_r FROM warehouse.identity_review r
                       JOIN warehouse.identity_node l ON l.node_id = r.node_l
                       JOIN warehouse.identity_node o ON o.node_id = r.node_r
                       WHERE r.decision IS NULL AND l.nik = ANY(%(niks)s) AND o.nik = ANY(%(niks)s)""",
                    {"niks": list(niks)})
        return cur.fetchall()


def test_reviewer_same_merges_keeps_oldest_id_and_redirects(tmp_path):
    from pipelines.identity import review

    # Same name skeleton, birth date and place, two NIKs, no parents' names and
    # two desas: more likely than not one person, far from sure (the review band).
    a = person(11, "NANANG SUPRIATNA", NIK="3601011505800111", NAMA_LGKP_IBU="", NO_KK="3601011505800211")
    b = person(12, "NANANG SUPRIYATNA", NIK="3604021505800112", NAMA_LGKP_IBU="", NO_KK="3601011505800212",
               NAMA_LGKP_AYAH="", NO_KEL="2002", ALAMAT="KP. KERTAJAYA")
    _night(tmp_path / "a", N1, {"3601": [a, b]})
    ids = _ids(N1)
    assert ids[("3601", 1)] != ids[("3601", 2)], "in the review band: left apart"
    pairs = _queued(a["NIK"], b["NIK"])
    assert pairs, "an uncertain pair left apart goes to the review queue"
    with connect() as conn, conn.cursor() as cur:
        review.decide(cur, *pairs[0], "same", "tester")
    _night(tmp_path / "a", N2, {"3601": [a, b]})
    after = _ids(N2)
    oldest = min(ids[("3601", 1)], ids[("3601", 2)])
    assert after[("3601", 1)] == after[("3601", 2)] == oldest
    assert _scalar("SELECT new_id FROM warehouse.person_redirect WHERE old_id = %s",
                   (max(ids[("3601", 1)], ids[("3601", 2)]),)) == oldest
    _night(tmp_path / "a", N3, {"3601": [a, b]})
    assert _ids(N3) == after, "the decision holds on later nights"


def test_reviewer_different_splits_and_largest_part_keeps_id(tmp_path):
    # One NIK, same name and birth date: the deterministic tier joins them.
    a = person(21, "SLAMET RIYADI", NIK="3601011505800121")
    b = person(22, "SLAMET RIYADI", NIK="3601011505800121", NO_KK="3601011505800222")
    c = person(23, "SLAMET RIYADI", NIK="3601011505800121", NO_KK="3601011505800223")
    _night(tmp_path / "b", N1, {"3601": [a, b, c]})
    ids = _ids(N1)
    assert len(set(ids.values())) == 1
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT node_id FROM warehouse.identity_node WHERE person_id = %s
                       ORDER BY node_id""", (ids[("3601", 1)],))
        nodes = [row[0] for row in cur.fetchall()]
        cur.execute("""INSERT INTO warehouse.identity_review (node_l, node_r, person_l, person_r, match_weight,
                                                              weights, night, decision, reviewer, decided_at)
                       SELECT %s, %s, %s, %s, 0, '{}', %s, 'different', 'tester', now()""",
                    (nodes[0], nodes[1], ids[("3601", 1)], ids[("3601", 1)], N1))
    _night(tmp_path / "b", N2, {"3601": [a, b, c]})
    after = _ids(N2)
    assert len(set(after.values())) == 2, "the reviewed pair is split"
    assert sum(p == ids[("3601", 1)] for p in after.values()) == 2, "the larger part keeps the id"
    _night(tmp_path / "b", N3, {"3601": [a, b, c]})
    assert _ids(N3) == after
