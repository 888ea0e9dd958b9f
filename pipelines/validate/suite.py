"""The row suite, written from the contract and the rules.

``expectations/suites/district_rows.json`` is what runs and what is reviewed;
this module is how it is (re)written, so that the code lists and limits in it
are those of pipelines.contract. tests/unit/test_validate.py fails when the
committed JSON and this module disagree. Regenerate with:

    .venv/bin/python -m pipelines.validate.suite

Values that depend on the file (the night, the district and its kecamatan and
desa) are suite parameters, filled in by gx_runner at validation time.
"""

from __future__ import annotations

import json
from pathlib import Path

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation

from pipelines.contract import (
    CODE_LISTS,
    DATE_COLUMNS,
    NAME_MAX_LENGTH,
    PROVINCE_CODE,
    REQUIRED_COLUMNS,
)
from pipelines.validate.expectations_dates import (
    ExpectColumnPairValuesToBeReadableDates,
    ExpectColumnValuesToBeIsoDatesBetween,
)
from pipelines.validate.expectations_ektp import (
    ExpectColumnPairEktpRecordedToHaveDate,
    ExpectMulticolumnEktpNotYetDueToBeUnderage,
)
from pipelines.validate.expectations_nik import (
    ExpectColumnPairNikBirthDateToMatch,
    ExpectColumnPairNikSexToMatch,
    ExpectColumnValuesToHaveKnownNikRegion,
    ExpectColumnValuesToHaveNonzeroNikSerial,
)
from pipelines.validate.prepare import iso_column
from pipelines.validate.rules import RULES, date_rule

SUITE_NAME = "district_rows"
PROJECT_DIR = Path(__file__).resolve().parents[2] / "expectations"
SUITE_PATH = PROJECT_DIR / "suites" / f"{SUITE_NAME}.json"

SIXTEEN_DIGITS = r"^\d{16}$"
# What a spreadsheet makes of a 16-digit number: 3.60101E+15, 3,60101E+15, 3.6E15.
SCIENTIFIC = r"^\d(?:[.,]\d+)?[eE][+-]?\d+$"
THREE_DIGITS = r"^\d{3}$"


def _param(name: str) -> dict:
    return {"$PARAMETER": name}


def expectations() -> list[tuple[str, Expectation]]:
    """(rule name, expectation) for every row rule, in suite order."""
    pairs: list[tuple[str, Expectation]] = [
        (f"required_{col.lower()}", gxe.ExpectColumnValuesToNotBeNull(column=col))
        for col in REQUIRED_COLUMNS
    ]
    pairs += [
        (f"code_{col.lower()}", gxe.ExpectColumnValuesToBeInSet(column=col, value_set=list(codes)))
        for col, codes in CODE_LISTS.items()
    ]
    pairs += [
        ("nik_format", gxe.ExpectColumnValuesToMatchRegex(column="NIK", regex=SIXTEEN_DIGITS)),
        ("nik_scientific", gxe.ExpectColumnValuesToNotMatchRegex(column="NIK", regex=SCIENTIFIC)),
        ("no_kk_format", gxe.ExpectColumnValuesToMatchRegex(column="NO_KK", regex=SIXTEEN_DIGITS)),
        ("no_kk_scientific",
         gxe.ExpectColumnValuesToNotMatchRegex(column="NO_KK", regex=SCIENTIFIC)),
        ("nama_length", gxe.ExpectColumnValueLengthsToBeBetween(
            column="NAMA_LGKP", min_value=1, max_value=NAME_MAX_LENGTH)),
        ("no_rt_format", gxe.ExpectColumnValuesToMatchRegex(column="NO_RT", regex=THREE_DIGITS)),
        ("no_rw_format", gxe.ExpectColumnValuesToMatchRegex(column="NO_RW", regex=THREE_DIGITS)),
        ("no_prop", gxe.ExpectColumnValuesToBeInSet(column="NO_PROP", value_set=[PROVINCE_CODE])),
        ("other_district", gxe.ExpectColumnValuesToBeInSet(
            column="KODE_KAB", value_set=_param("district_codes"))),
        ("kecamatan_unknown", gxe.ExpectColumnValuesToBeInSet(
            column="NO_KEC", value_set=_param("kecamatan_codes"))),
        ("desa_unknown", gxe.ExpectColumnValuesToBeInSet(
            column="KODE_KEC_KEL", value_set=_param("kec_kel_codes"))),
    ]
    pairs += [
        (date_rule(col), ExpectColumnPairValuesToBeReadableDates(
            column_A=col, column_B=iso_column(col)))
        for col in DATE_COLUMNS
    ]
    birth = iso_column("TGL_LHR")
    pairs += [
        ("tgl_lhr_future", ExpectColumnValuesToBeIsoDatesBetween(
            column=birth, max_value=_param("night"))),
        ("tgl_lhr_too_old", ExpectColumnValuesToBeIsoDatesBetween(
            column=birth, min_value=_param("oldest_birth_date"))),
        ("nik_region", ExpectColumnValuesToHaveKnownNikRegion(column="NIK")),
        ("nik_serial", ExpectColumnValuesToHaveNonzeroNikSerial(column="NIK")),
        ("nik_birth_date", ExpectColumnPairNikBirthDateToMatch(column_A="NIK", column_B=birth)),
        ("nik_sex", ExpectColumnPairNikSexToMatch(column_A="NIK", column_B="JENIS_KLMIN")),
        ("tgl_ubah_before_entri", gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=iso_column("TGL_UBAH"), column_B=iso_column("TGL_ENTRI"),
            or_equal=True, ignore_row_if="either_value_is_missing")),
        ("ektp_date_missing", ExpectColumnPairEktpRecordedToHaveDate(
            column_A="EKTP_CURRENT_STATUS_CODE", column_B="EKTP_CREATED_DATE")),
        ("ektp_belum_wajib", ExpectMulticolumnEktpNotYetDueToBeUnderage(
            column_list=["EKTP_CURRENT_STATUS_CODE", birth, "STAT_KWN"],
            born_on_or_before=_param("wajib_ktp_born_on_or_before"))),
    ]
    return pairs


def suite_json() -> dict:
    """The suite as stored: ids left out so the file only changes with the rules."""
    entries = []
    for rule, expectation in expectations():
        config = expectation.configuration.to_json_dict()
        rule_spec = RULES[rule]
        entries.append({
            "type": config["type"],
            "kwargs": config["kwargs"],
            # Data Docs show the description instead of GX's generic sentence.
            "description": f"{rule} ({rule_spec.severity}): {rule_spec.description_id}",
            "meta": {"rule": rule, "severity": RULES[rule].severity},
        })
    return {"name": SUITE_NAME, "expectations": entries, "meta": {
        "notes": "Generated by pipelines/validate/suite.py from pipelines/contract.py; "
                 "one expectation per row rule, meta.rule names it."}}


def write() -> Path:
    SUITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    SUITE_PATH.write_text(json.dumps(suite_json(), indent=2, ensure_ascii=False) + "\n")
    return SUITE_PATH


if __name__ == "__main__":
    print(write())
