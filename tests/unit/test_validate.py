"""Row validation: every rule's pass and fail, the Verdict's shape, the file
gate, the family rule, Data Docs without personal data, hostile text."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipelines.contract import COLUMNS, DATE_COLUMNS, desa_codes, kecamatan_codes
from pipelines.validate import (
    RULES,
    build_data_docs,
    file_gate,
    validate_chunk,
)
from pipelines.validate.suite import PROJECT_DIR, SUITE_PATH, suite_json

NIGHT = datetime.date(2026, 11, 26)
DISTRICT = "3601"
KEC = sorted(kecamatan_codes(DISTRICT))[0]  # 6 digits
DESA = sorted(desa_codes(KEC))[0]  # 10 digits


def person(**changes: str | None) -> dict[str, str | None]:
    """A valid resident of the first desa of Kab. Pandeglang; woman born 5 Jan 1990."""
    row = {c: None for c in COLUMNS}
    row.update(
        NIK=f"{KEC}450190" "0001", NO_KK=f"{KEC}010115" "0001", NAMA_LGKP="SITI AMINAH",
        JENIS_KLMIN="2", TMPT_LHR="PANDEGLANG", TGL_LHR="05-01-1990", GOL_DRH="13",
        AGAMA="1", STAT_KWN="2", STAT_HBKEL="1", PDDK_AKH="5", JENIS_PKRJN="2",
        ALAMAT="KP. CIPACUNG", NO_RT="001", NO_RW="002", NO_PROP="36", NO_KAB=DISTRICT[2:],
        NO_KEC=KEC[4:], NO_KEL=DESA[6:], STAT_HIDUP="1", EKTP_CURRENT_STATUS_CODE="3",
        EKTP_CREATED_DATE="2015-02-03", TGL_ENTRI="2012-01-02", TGL_UBAH="2020-05-06",
    )
    row.update(changes)
    return row


def chunk(*rows: dict, first_row: int = 1) -> pd.DataFrame:
    """A frame shaped like the ingest step's: COLUMNS as pyarrow strings + source_row."""
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS)).astype("string[pyarrow]")
    frame["source_row"] = np.arange(first_row, first_row + len(rows), dtype="int64")
    return frame


def reasons(verdict, source_row: int) -> list[dict]:
    match = verdict.quarantined.loc[verdict.quarantined["source_row"] == source_row, "reasons"]
    return json.loads(match.iloc[0]) if len(match) else []


def test_valid_row_is_loaded_without_warnings():
    verdict = validate_chunk(chunk(person()), DISTRICT, NIGHT)
    assert len(verdict.good) == 1 and verdict.quarantined.empty
    assert verdict.warnings == {} and verdict.rule_failures == {}


QUARANTINE_CASES = [
    ("required_nik", {"NIK": None}),
    ("required_tgl_lhr", {"TGL_LHR": None}),
    ("required_ektp_current_status_code", {"EKTP_CURRENT_STATUS_CODE": None}),
    ("code_jenis_klmin", {"JENIS_KLMIN": "3"}),
    ("code_agama", {"AGAMA": "01"}),
    ("code_gol_drh", {"GOL_DRH": "14"}),
    ("code_jenis_pkrjn", {"JENIS_PKRJN": "90"}),
    ("code_stat_hbkel", {"STAT_HBKEL": "12"}),
    ("code_ektp_current_status_code", {"EKTP_CURRENT_STATUS_CODE": "9"}),
    ("nik_format", {"NIK": f"{KEC}45019000001"}),
    ("nik_format", {"NIK": f"{KEC}4501900O01"}),
    ("no_kk_format", {"NO_KK": "123"}),
    ("no_kk_scientific", {"NO_KK": "3.60101E+15"}),
    ("nama_length", {"NAMA_LGKP": "A" * 61}),
    ("no_rt_format", {"NO_RT": "1"}),
    ("no_rw_format", {"NO_RW": "RW2"}),
    ("no_prop", {"NO_PROP": "32"}),
    ("other_district", {"NO_KAB": "02"}),
    ("kecamatan_unknown", {"NO_KEC": "99"}),
    ("desa_unknown", {"NO_KEL": "2999"}),
    ("tgl_lhr_format", {"TGL_LHR": "31-02-1990"}),
    ("tgl_lhr_format", {"TGL_LHR": "1990/01/05"}),
    ("ektp_created_date_format", {"EKTP_CREATED_DATE": "kemarin"}),
    ("tgl_entri_format", {"TGL_ENTRI": "2012-13-01"}),
    ("tgl_ubah_format", {"TGL_UBAH": "32-01-2020"}),
    ("tgl_lhr_future", {"TGL_LHR": "2026-11-27", "NIK": f"{KEC}671126" "0001"}),
    ("tgl_lhr_too_old", {"TGL_LHR": "1905-11-26", "NIK": f"{KEC}661105" "0001"}),
    ("nik_region", {"NIK": "9999994501900001"}),
    ("nik_serial", {"NIK": f"{KEC}450190" "0000"}),
]


# One GX run per table of cases keeps the suite fast; row 1 is the valid person,
# row i + 2 the i-th case.
@pytest.fixture(scope="module")
def quarantine_verdict():
    return validate_chunk(chunk(person(), *(person(**c) for _, c in QUARANTINE_CASES)),
                          DISTRICT, NIGHT)


@pytest.mark.parametrize(("case", "rule"), enumerate(r for r, _ in QUARANTINE_CASES))
def test_quarantine_rule_fails_the_row(quarantine_verdict, case, rule):
    assert RULES[rule].severity == "quarantine"
    assert quarantine_verdict.good["source_row"].tolist() == [1]
    assert rule in {r["rule"] for r in reasons(quarantine_verdict, case + 2)}
    assert quarantine_verdict.rule_failures[rule] >= sum(r == rule for r, _ in QUARANTINE_CASES)


WARN_CASES = [
    ("nik_birth_date", {"NIK": f"{KEC}460190" "0001"}),
    ("nik_sex", {"JENIS_KLMIN": "1"}),
    ("tgl_ubah_before_entri", {"TGL_UBAH": "2011-12-31"}),
    ("ektp_date_missing", {"EKTP_CREATED_DATE": None}),
    ("ektp_belum_wajib", {"EKTP_CURRENT_STATUS_CODE": "1", "EKTP_CREATED_DATE": None}),
]


def test_warn_rules_load_the_row_and_count_it():
    verdict = validate_chunk(chunk(person(), *(person(**c) for _, c in WARN_CASES)),
                             DISTRICT, NIGHT)
    assert len(verdict.good) == len(WARN_CASES) + 1 and verdict.quarantined.empty
    assert verdict.warnings == {rule: 1 for rule, _ in WARN_CASES}
    assert all(RULES[rule].severity == "warn" for rule, _ in WARN_CASES)


LEGITIMATE_VARIANTS = [
    {"NIK": "3603214501900001"},  # kecamatan retired when Kota Tangsel was formed
    {"NIK": "3171014501900001"},  # issued in Jakarta, lives in Banten now
    {"TGL_LHR": "1990-01-05"},  # ISO form
    {"TGL_LHR": "1905-11-27", "NIK": f"{KEC}671105" "0001"},  # 120 years old tomorrow
    {"NAMA_LGKP": "A" * 60, "TMPT_LHR": None, "AGAMA": None, "NO_RT": None},
    {"JENIS_KLMIN": "1", "NIK": f"{KEC}050190" "0001"},  # a man: day without +40
    {"EKTP_CURRENT_STATUS_CODE": "1", "EKTP_CREATED_DATE": None, "STAT_KWN": "1",
     "TGL_LHR": "2010-06-30", "NIK": f"{KEC}700610" "0001"},  # a girl of 16: belum wajib
    {"EKTP_CURRENT_STATUS_CODE": "2", "EKTP_CREATED_DATE": None},  # belum rekam: no date yet
    {"TGL_UBAH": "2012-01-02"},  # changed the day it was entered
]


def test_legitimate_variants_pass_every_rule():
    verdict = validate_chunk(chunk(*(person(**c) for c in LEGITIMATE_VARIANTS)), DISTRICT, NIGHT)
    assert verdict.quarantined.empty, verdict.quarantined.to_dict("records")
    assert verdict.rule_failures == {}


def test_scientific_notation_nik_gets_its_own_reason_and_is_not_repaired():
    verdict = validate_chunk(chunk(person(NIK="3.60101E+15")), DISTRICT, NIGHT)
    assert verdict.good.empty
    assert reasons(verdict, 1) == [{"rule": "nik_scientific", "column": "NIK",
                                    "message": "NIK rusak oleh spreadsheet (notasi ilmiah)"}]


def test_all_failing_quarantine_rules_are_listed_for_a_row():
    row = person(JENIS_KLMIN="9", NO_RT="1", TGL_ENTRI="x", NAMA_LGKP=None)
    found = {r["rule"] for r in reasons(validate_chunk(chunk(row), DISTRICT, NIGHT), 1)}
    assert found == {"code_jenis_klmin", "no_rt_format", "tgl_entri_format", "required_nama_lgkp"}


def test_every_row_lands_in_exactly_one_output():
    rows = [person(), person(NIK="3.6E+15"), person(JENIS_KLMIN="1"), person(NO_KAB="03"),
            person(TGL_LHR="29-02-2001"), person()]
    verdict = validate_chunk(chunk(*rows, first_row=1001), DISTRICT, NIGHT)
    loaded, held = set(verdict.good["source_row"]), set(verdict.quarantined["source_row"])
    assert loaded | held == set(range(1001, 1007)) and not loaded & held
    assert loaded == {1001, 1003, 1006}
    assert verdict.quarantined["source_row"].dtype == "int64"
    assert list(verdict.good.columns) == [*COLUMNS, "source_row"]


def test_dates_are_normalised_to_iso():
    frame = chunk(person(TGL_LHR="05-01-1990", EKTP_CREATED_DATE=None, TGL_ENTRI="2012-01-02",
                         TGL_UBAH="06-05-2020", EKTP_CURRENT_STATUS_CODE="2"))
    good = validate_chunk(frame, DISTRICT, NIGHT).good
    assert good.loc[0, ["TGL_LHR", "TGL_ENTRI", "TGL_UBAH"]].tolist() == [
        "1990-01-05", "2012-01-02", "2020-05-06"]
    assert pd.isna(good.loc[0, "EKTP_CREATED_DATE"])
    assert all(good[c].dtype == "string" for c in DATE_COLUMNS)


def test_warnings_count_only_loaded_rows_and_rule_failures_count_all():
    rows = [person(JENIS_KLMIN="1"), person(JENIS_KLMIN="1"), person(JENIS_KLMIN="1", NO_RW="x")]
    verdict = validate_chunk(chunk(*rows), DISTRICT, NIGHT)
    assert verdict.warnings == {"nik_sex": 2}
    assert verdict.rule_failures == {"nik_sex": 3, "no_rw_format": 1}


def test_reasons_never_quote_the_value():
    secret_nik, secret_name = "3.61234E+15", "ZULAIKHA " + "Q" * 70
    verdict = validate_chunk(chunk(person(NIK=secret_nik, NAMA_LGKP=secret_name)), DISTRICT, NIGHT)
    text = verdict.quarantined.loc[0, "reasons"]
    assert secret_nik not in text and "ZULAIKHA" not in text
    assert {r["rule"] for r in json.loads(text)} == {"nik_scientific", "nama_length"}


HOSTILE = ["<script>alert('x')</script>", '=HYPERLINK("http://evil.example","klik")',
           "O'BRIEN'); DROP TABLE warehouse.person;--", "\u202eNAMA\u0000", "é" * 200, "😀" * 61]
HOSTILE_COLUMNS = ("NAMA_LGKP", "ALAMAT", "NIK", "TGL_LHR", "NO_KEL", "EKTP_CURRENT_STATUS_CODE")


def test_hostile_text_never_crashes():
    rows = [person(**{c: text}) for text in HOSTILE for c in HOSTILE_COLUMNS]
    verdict = validate_chunk(chunk(*rows), DISTRICT, NIGHT)
    assert len(verdict.good) + len(verdict.quarantined) == len(rows)
    for i, text in enumerate(HOSTILE):
        name_row = 1 + i * len(HOSTILE_COLUMNS)
        expected = {"nama_length"} if len(text) > 60 else set()
        assert {r["rule"] for r in reasons(verdict, name_row)} == expected


def test_empty_chunk():
    verdict = validate_chunk(chunk(), DISTRICT, NIGHT)
    assert verdict.good.empty and verdict.quarantined.empty


def test_a_chunk_of_no_rows_is_reported_as_gx_would_without_running_it():
    """An ordinary night's district with no changed row skips GX's fixed cost;
    its result (and so its Data Docs) stays the one GX gives for no rows."""
    from pipelines.validate import gx_runner
    from pipelines.validate.datadocs import redact
    from pipelines.validate.prepare import derive

    work = derive(chunk())
    batch_definition, suite = gx_runner.runtime()
    ran = batch_definition.get_batch(batch_parameters={"dataframe": work}).validate(
        suite, result_format=gx_runner.RESULT_FORMAT,
        expectation_parameters=gx_runner.suite_parameters(DISTRICT, NIGHT))
    failing, skipped = gx_runner.run_suite(work, DISTRICT, NIGHT)
    assert failing == {}
    assert redact(skipped, DISTRICT, NIGHT).to_json_dict() == redact(ran, DISTRICT, NIGHT).to_json_dict()


def test_unknown_district_is_an_error():
    with pytest.raises(ValueError):
        validate_chunk(chunk(person()), "3201", NIGHT)


@pytest.mark.parametrize(("read", "held", "other", "rejected"), [
    (1000, 50, 0, False),  # exactly at the limit
    (1000, 51, 0, True),
    (1000, 60, 51, True),
    (1000, 40, 40, False),
    (0, 0, 0, True),
])
def test_file_gate_thresholds(read, held, other, rejected):
    reason = file_gate(read, held, other)
    assert (reason is not None) == rejected
    if reason and other > 50:
        assert "kabupaten/kota lain" in reason


def test_file_gate_custom_share_and_bad_counts():
    assert file_gate(1000, 100, 0, max_quarantine_share=0.2) is None
    assert "1.000" in file_gate(1000, 300, 0, max_quarantine_share=0.2)
    with pytest.raises(ValueError):
        file_gate(10, 20, 0)


def test_data_docs_contain_no_personal_values(tmp_path: Path):
    secrets = ["3.60101E+15", f"{KEC}450190" "0000", "9999994501900001", "RAHASIA BINTI SUKARDI",
               "<script>leak()</script>", "KP. RAHASIA", "ZAINUDIN" + "X" * 70]
    rows = [person(NIK=secrets[0]), person(NIK=secrets[1]), person(NIK=secrets[2]),
            person(NAMA_LGKP=secrets[3], JENIS_KLMIN="7"), person(NAMA_LGKP=secrets[4], NO_RT="x"),
            person(ALAMAT=secrets[5], NO_KAB="02"), person(NAMA_LGKP=secrets[6]), person()]
    first = validate_chunk(chunk(*rows[:4]), DISTRICT, NIGHT)
    second = validate_chunk(chunk(*rows[4:], first_row=5), DISTRICT, NIGHT)
    index = build_data_docs([first.summary, second.summary], tmp_path / "docs")
    assert index.is_file()
    written = [p for p in (tmp_path / "docs").rglob("*") if p.suffix in {".html", ".json", ".js"}]
    pages = "\n".join(p.read_text(errors="replace") for p in written)
    assert "district_rows" in pages
    for secret in secrets:
        assert secret not in pages
        assert json.dumps(secret)[1:-1] not in pages
    # the counts are there: 7 of 8 rows failed something, across two chunks
    assert "3601" in pages


def test_suite_json_is_generated_from_the_contract():
    assert json.loads(SUITE_PATH.read_text()) == suite_json(), (
        "expectations/suites/district_rows.json is stale: run python -m pipelines.validate.suite")
    suite_rules = [e["meta"]["rule"] for e in suite_json()["expectations"]]
    row_rules = [r for r in RULES.values() if r.severity != "reject_file"]
    assert len(suite_rules) == len(set(suite_rules))
    assert set(suite_rules) == {r.name for r in row_rules} - {"one_head_per_family"}


def test_loading_the_gx_project_writes_nothing_back():
    before = {p: hashlib.sha256(p.read_bytes()).digest()
              for p in PROJECT_DIR.rglob("*") if p.is_file() and "uncommitted" not in p.parts}
    validate_chunk(chunk(person()), DISTRICT, NIGHT)
    after = {p: hashlib.sha256(p.read_bytes()).digest()
             for p in PROJECT_DIR.rglob("*") if p.is_file() and "uncommitted" not in p.parts}
    assert before == after
