"""The decision rules on hand-made register rows and residents, through the real
features, Splink scores (DuckDB in memory) and decisions: no warehouse needed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines.bapenda import register as reg
from pipelines.bapenda import scoring
from pipelines.bapenda.decide import decide
from pipelines.identity.features import IDENTITY_COLUMNS, node_features

OWNER = ("P1", "3604052507850003", "ACENG SUHENDAR", "1985-07-25", "1")  # person_id, NIK, name, birth, sex
PERSONS = 1_000_000


def _candidates(row_no: int, persons: list[tuple[str, str, str, str, str]], home: bool = True) -> pd.DataFrame:
    """Candidate rows as sql/candidates.sql returns them, for one register row."""
    records = pd.DataFrame({c: None for c in IDENTITY_COLUMNS}, index=range(len(persons)))
    records["unique_id"] = [p[0] for p in persons]
    records["export_key"] = None
    records["nik"], records["nama_lgkp"] = [p[1] for p in persons], [p[2] for p in persons]
    records["tgl_lhr"], records["jenis_klmin"] = [p[3] for p in persons], [p[4] for p in persons]
    nodes = node_features(records)
    return nodes.assign(row_no=row_no, node_id=nodes["unique_id"] + "n", person_id=nodes["unique_id"],
                        alamat="JL. RAYA CIRUAS NO 4", no_rt="2", no_rw="5", area_blank=False, in_kec=False,
                        in_nik_kec=False, in_kab=home)  # registered in their kab/kota, or elsewhere


def _decide(rows: list[tuple[str, str, str]], persons: list[tuple[str, str, str, str, str]], home: bool = True,
            province: int = PERSONS) -> dict:
    """rows: (name, NIK, birth date) in KAB. SERANG, where every person lives
    (`home`) or none does; every row meets every person; `province` persons."""
    register = pd.DataFrame({"ROW_NO": range(1, len(rows) + 1), "NO_POLISI": "A 1 B", "JENIS_PEMILIK": "PRIBADI",
                             "NAMA_PEMILIK": [r[0] for r in rows], "NIK_PEMILIK": [r[1] for r in rows],
                             "TGL_LHR_PEMILIK": [r[2] for r in rows], "ALAMAT_PEMILIK": "",
                             "KAB_KOTA_DAFTAR": "KAB. SERANG", "KEC_DAFTAR": "", "TUNGGAKAN_RP": "1",
                             "BULAN_TUNGGAK": "1"})
    features = reg.features(register)
    candidates = pd.concat([_candidates(i, persons, home) for i in range(1, len(rows) + 1)], ignore_index=True)
    return decide(scoring.score(features, candidates, province)[0])


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


GIVEN = ("AHMAD", "BUDI", "CECEP", "DEDEN", "ENDANG", "FAJAR", "GILANG", "HENDRA", "IWAN", "JAJANG", "KOMAR",
         "LUKMAN", "MAMAN", "NANANG", "OMAN", "PEPEN", "RUDI", "SAEPUL", "TATANG", "UJANG")
FAMILY = ("SUPRIADI", "HERMAWAN", "KUSNADI", "RUSTANDI", "SETIAWAN", "MULYANA", "SAPUTRA", "GUNAWAN", "NURDIN",
          "SOLEH", "HAMDANI", "JUNAEDI", "KURNIA", "PERMANA", "RAHMAT", "SOBARI", "TAUFIK", "WAHYUDI", "YUSUF",
          "ZAENAL")


def _resident(i: int) -> tuple[str, str, str, str, str]:
    born = dt.date(1960 + i, 1 + i % 12, 1 + i)
    return f"P{i}", f"360405{born:%d%m%y}0001", f"{GIVEN[i]} {FAMILY[i]}", born.isoformat(), "1"


def _initial(name: str) -> str:
    given, family = name.split()
    return f"{given[0]}. {family}"


def test_a_register_that_writes_initials_teaches_its_own_m():
    """The identity model's m for "a word written as its initial" is SIAK's (a
    desk rarely does it); a register whose NIK-anchored rows mostly do has its
    own m (scoring.register_m), and the same row, NIK lost, is MATCHED by it."""
    people = [_resident(i) for i in range(len(GIVEN))]
    owner = people[0]
    row = (_initial(owner[2]), "", owner[3])  # no NIK, the birth date, the given name as its initial
    anchored = [(_initial(p[2]), p[1], "") for p in people[1:]]
    alone = _decide([row], people)[1]
    taught = _decide([row, *anchored], people)[1]
    assert alone.status != "MATCHED"
    assert (taught.status, taught.person_id) == ("MATCHED", "P0")


def test_a_register_whose_owners_live_elsewhere_teaches_its_own_area_m():
    """The configured m says a quarter of owners register away from home; in a
    register whose NIK-anchored owners all do, registering elsewhere says
    little, and an exact name and birth date, NIK lost, are MATCHED again."""
    people = [_resident(i) for i in range(len(GIVEN))]
    owner = people[0]
    row = (owner[2], "", owner[3])
    anchored = [(p[2], p[1], "") for p in people[1:]]
    alone = _decide([row], people, home=False, province=400_000)[1]
    taught = _decide([row, *anchored], people, home=False, province=400_000)[1]
    assert (alone.status, alone.person_id) == ("PROBABLE", "P0")
    assert (taught.status, taught.person_id) == ("MATCHED", "P0")
