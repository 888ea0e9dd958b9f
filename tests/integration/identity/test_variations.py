"""Each kind of second registration the independent trial found unjoined (issue
21), as a hand-made pair through the real DAG (`dukcapil run`'s dag.test()):
one person at the end. And the twin guard both ways: a duplicate entry on one
family card joins, twins on it never do."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export

NIGHT = dt.date(2026, 12, 10)  # a night no other test loads


def _nik(dob: str, sex: str, serial: int) -> str:
    day, month, year = dob[8:10], dob[5:7], dob[2:4]
    return f"360101{int(day) + (40 if sex == '2' else 0):02d}{month}{year}{serial:04d}"


def _row(serial: int, name: str, dob: str, sex: str, mother: str, father: str, kk: str | None = None,
         nik_dob: str | None = None) -> dict[str, str]:
    return valid_row(serial, NIK=_nik(nik_dob or dob, sex, serial), NO_KK=kk or f"3601012001{serial:06d}",
                     NAMA_LGKP=name, TGL_LHR=dob, JENIS_KLMIN=sex, NAMA_LGKP_IBU=mother, NAMA_LGKP_AYAH=father)


# (kind, first registration, second registration): name, birth date, sex, mother, father.
SAME = [
    ("old spelling", ("ACENG GOENAWAN", "1972-02-12", "1", "ENTIN KARTINI", "OMAN SUPARMAN"),
     ("ACENG GUNAWAN", "1972-02-12", "1", "ENTIN KARTINI", "OMAN SUPARMAN")),
    ("title", ("H. MUHAMMAD", "1973-03-13", "1", "ROHAYATI", "ABDUL KADIR"),
     ("MUHAMMAD", "1973-03-13", "1", "ROHAYATI", "ABDUL KADIR")),
    ("given name as an initial", ("I NUR", "1974-04-14", "2", "ONENG", "DADANG"),
     ("IMAS NUR", "1974-04-14", "2", "ONENG", "DADANG")),
    ("given name as an initial, two words", ("E MULYADI", "1975-05-16", "1", "IYOH", "UJANG"),
     ("ENCEP MULYADI", "1975-05-16", "1", "IYOH", "UJANG")),
    ("dropped letter", ("TUTI MASITH", "1976-06-16", "2", "NENG ELIS", "ASEP"),
     ("TUTI MASITOH", "1976-06-16", "2", "NENG ELIS", "ASEP")),
    ("dropped letter, one word", ("FTRI", "1977-07-17", "2", "EUIS", "JAJANG"),
     ("FITRI", "1977-07-17", "2", "EUIS", "JAJANG")),
    ("doubled letter", ("YYAN", "1978-08-18", "1", "EPON", "UCUP"), ("YAYAN", "1978-08-18", "1", "EPON", "UCUP")),
    ("transposed letters", ("AHSANUDIN", "1979-09-19", "1", "MAEMUNAH", "SARIP"),
     ("HASANUDIN", "1979-09-19", "1", "MAEMUNAH", "SARIP")),
    ("dropped last word", ("HADI HASAN", "1981-10-20", "1", "ICIH", "ENDANG"),
     ("HADI", "1981-10-20", "1", "ICIH", "ENDANG")),
    ("day and month swapped", ("DEDE ROSADI", "1982-03-07", "1", "EMAH", "KOMAR"),
     ("DEDE ROSADI", "1982-07-03", "1", "EMAH", "KOMAR")),
]


@pytest.fixture(scope="module")
def persons(tmp_path_factory):
    from pipelines.airflow_runner import run_night

    rows, serial = [], 700
    for _, *registrations in SAME:
        for name, dob, sex, mother, father in registrations:
            serial += 1
            rows.append(_row(serial, name, dob, sex, mother, father))
    card = "3601012001990001"
    rows += [_row(801, "RIKA SAFITRI", "1971-01-11", "2", "ENOK", "UDIN", kk=card),  # one person entered twice
             _row(802, "RIKA SAFITRI", "1971-01-11", "2", "ENOK", "UDIN", kk=card),
             _row(803, "HASAN BASRI", "1983-01-21", "1", "SITI AMINAH", "BASRI", kk=card),  # twins
             _row(804, "HUSEN BASRI", "1983-01-21", "1", "SITI AMINAH", "BASRI", kk=card),
             _row(805, "RINA MARLINA", "1984-02-22", "2", "SITI AMINAH", "BASRI", kk=card),  # twins, one letter apart
             _row(806, "RINI MARLINA", "1984-02-22", "2", "SITI AMINAH", "BASRI", kk=card)]
    landing = tmp_path_factory.mktemp("variations")
    write_export(landing / NIGHT.isoformat(), "3601", csv_text(rows))
    run_night(landing, NIGHT)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT nik, person_id FROM warehouse.record_identity WHERE export_date = %s", (NIGHT,))
        found = dict(cur.fetchall())
    assert len(found) == len(rows), "every record loaded"
    return found


@pytest.mark.parametrize("kind", [kind for kind, *_ in SAME])
def test_a_second_registration_is_the_same_person(persons, kind):
    first, second = next(registrations for k, *registrations in SAME if k == kind)
    serial = 701 + 2 * [k for k, *_ in SAME].index(kind)
    niks = [_nik(first[1], first[2], serial), _nik(second[1], second[2], serial + 1)]
    assert persons[niks[0]] == persons[niks[1]], kind


def test_one_person_twice_on_one_family_card_is_joined(persons):
    assert persons[_nik("1971-01-11", "2", 801)] == persons[_nik("1971-01-11", "2", 802)]


def test_twins_on_one_family_card_never_join(persons):
    assert persons[_nik("1983-01-21", "1", 803)] != persons[_nik("1983-01-21", "1", 804)]
    assert persons[_nik("1984-02-22", "2", 805)] != persons[_nik("1984-02-22", "2", 806)]


def test_twins_one_letter_apart_go_to_a_reviewer(persons):
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT count(*) FROM warehouse.identity_review r
                       JOIN warehouse.identity_node l ON l.node_id = r.node_l
                       JOIN warehouse.identity_node o ON o.node_id = r.node_r
                       WHERE r.decision IS NULL AND l.nik = ANY(%(niks)s) AND o.nik = ANY(%(niks)s)""",
                    {"niks": [_nik("1984-02-22", "2", 805), _nik("1984-02-22", "2", 806)]})
        assert cur.fetchone()[0] == 1
