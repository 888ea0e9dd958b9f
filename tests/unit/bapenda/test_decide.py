"""The decision rules on hand-made register rows and residents, through the real
features, Splink scores (DuckDB in memory) and decisions: no warehouse needed."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.bapenda import register as reg
from pipelines.bapenda import scoring
from pipelines.bapenda.decide import decide
from pipelines.identity.features import IDENTITY_COLUMNS, node_features

OWNER = ("P1", "3604052507850003", "ACENG SUHENDAR", "1985-07-25", "1")  # person_id, NIK, name, birth, sex
PERSONS = 1_000_000


def _candidates(row_no: int, persons: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Candidate rows as sql/candidates.sql returns them, for one register row."""
    records = pd.DataFrame({c: None for c in IDENTITY_COLUMNS}, index=range(len(persons)))
    records["unique_id"] = [p[0] for p in persons]
    records["export_key"] = None
    records["nik"], records["nama_lgkp"] = [p[1] for p in persons], [p[2] for p in persons]
    records["tgl_lhr"], records["jenis_klmin"] = [p[3] for p in persons], [p[4] for p in persons]
    nodes = node_features(records)
    return nodes.assign(row_no=row_no, node_id=nodes["unique_id"] + "n", person_id=nodes["unique_id"],
                        alamat="JL. RAYA CIRUAS NO 4", no_rt="2", no_rw="5", area="kab")


def _decide(rows: list[tuple[str, str, str]], persons: list[tuple[str, str, str, str, str]]) -> dict:
    """rows: (name, NIK, birth date) in KAB. SERANG; every row meets every person."""
    register = pd.DataFrame({"ROW_NO": range(1, len(rows) + 1), "NO_POLISI": "A 1 B", "JENIS_PEMILIK": "PRIBADI",
                             "NAMA_PEMILIK": [r[0] for r in rows], "NIK_PEMILIK": [r[1] for r in rows],
                             "TGL_LHR_PEMILIK": [r[2] for r in rows], "ALAMAT_PEMILIK": "",
                             "KAB_KOTA_DAFTAR": "KAB. SERANG", "KEC_DAFTAR": "", "TUNGGAKAN_RP": "1",
                             "BULAN_TUNGGAK": "1"})
    features = reg.features(register)
    candidates = pd.concat([_candidates(i, persons) for i in range(1, len(rows) + 1)], ignore_index=True)
    return decide(scoring.score(features, candidates, PERSONS))


def _digit(nik: str, position: int) -> str:
    """The NIK with the digit at `position` (0-based) moved on by one."""
    return nik[:position] + str((int(nik[position]) + 1) % 10) + nik[position + 1:]


# Position 6 turns day 25 into 35: a NIK nobody can hold, so surely a typo.
@pytest.mark.parametrize("position", [3, 5, 6, 7, 11, 13, 15], ids=["region", "kecamatan", "day_ill_formed", "day",
                                                                      "year", "serial", "serial_last"])
def test_one_digit_off_with_the_same_name_is_matched(position):
    stranger = ("P2", "3604052507850001", "ROHMAT HIDAYAT", "1985-07-25", "1")
    decision = _decide([("ACENG SUHENDAR", _digit(OWNER[1], position), "")], [OWNER, stranger])[1]
    assert (decision.status, decision.person_id, decision.rule) == ("MATCHED", "P1", "nik_one_digit")
    assert decision.nik_neighbours >= 1


def test_a_stranger_one_serial_digit_off_is_not_matched():
    """Born the same day in the same kecamatan, serial 0003 against 0004: the NIK
    alone says nothing about who it is."""
    stranger = ("P2", "3604052507850004", "ROHMAT HIDAYAT", "1985-07-25", "1")
    decision = _decide([("ROHMAT HIDAYAT", OWNER[1][:-1] + "5", "")], [OWNER, stranger])[1]
    assert decision.person_id != "P1" or decision.status != "MATCHED"
    decision = _decide([("DEDI KURNIAWAN", OWNER[1][:-1] + "4", "")], [OWNER])[1]
    assert decision.status != "MATCHED"


def test_two_namesakes_one_digit_off_stay_unmatched():
    twin = ("P2", "3604052507850001", "ACENG SUHENDAR", "1985-07-25", "1")
    decision = _decide([("ACENG SUHENDAR", "3604052507850002", "")], [OWNER, twin])[1]
    assert decision.status != "MATCHED"


def test_a_birth_date_against_the_typo_holds_it_back():
    decision = _decide([("ACENG SUHENDAR", _digit(OWNER[1], 13), "1962-01-03")], [OWNER])[1]
    assert decision.rule != "nik_one_digit" and decision.status != "MATCHED"


def test_names_with_initials_and_swapped_birth_dates_do_not_contradict():
    person = ("P3", "3673014103900002", "IMAS NURHAYATI", "1990-03-01", "2")
    # 3 January for 1 March; an initial for IMAS; then a name that is not hers
    decisions = _decide([("I. NURHAYATI", person[1], ""), ("IMAS NURHAYATI", person[1], "03-01-1990"),
                         ("E. ROSITA", person[1], "")], [person])
    assert (decisions[1].status, decisions[1].rule) == ("MATCHED", "nik_exact")
    assert (decisions[2].status, decisions[2].rule) == ("MATCHED", "nik_exact")
    assert decisions[3].status != "MATCHED"  # the NIK's holder is someone else: a wrong NIK typed in
