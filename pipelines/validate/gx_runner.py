"""Runs the committed suite over a prepared chunk and maps failures to rows.

The Great Expectations context, batch definition and suite are loaded once
per process (loading them costs far more than validating a small chunk) and
reused for every chunk; only the DataFrame and the suite parameters change.
"""

from __future__ import annotations

import copy
import datetime
import logging
from functools import cache

import numpy as np
import pandas as pd

import great_expectations as gx
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult

from pipelines.contract import DISTRICTS, MAX_AGE_YEARS, desa_codes, kecamatan_codes
# The suite names custom expectations; GX resolves them from its registry,
# which these imports fill. They must come before the suite is loaded.
from pipelines.validate import expectations_dates, expectations_ektp, expectations_nik  # noqa: F401
from pipelines.validate.prepare import INDEX
from pipelines.validate.suite import PROJECT_DIR, SUITE_NAME

WAJIB_KTP_AGE = 17

# COMPLETE is what makes GX return every failing row, not a sample of 20.
# With source_row as the frame's *named index*, GX takes its vectorised path
# (a plain list of index values) instead of looking rows up one by one, and
# exclude_unexpected_values keeps the values themselves out of the result.
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [INDEX],
    "exclude_unexpected_values": True,
    "return_unexpected_index_query": False,
    "partial_unexpected_count": 0,
}


BATCH_ID = "district_frames-chunk"  # GX's id of the batch definition below: data source, asset


@cache
def runtime():
    # GX logs a line per batch and per suite lookup at INFO; a night has
    # hundreds of chunks.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="file", context_root_dir=PROJECT_DIR)
    batch_definition = (
        context.data_sources.get("district_frames").get_asset("chunk")
        .get_batch_definition("whole_chunk")
    )
    return batch_definition, context.suites.get(SUITE_NAME)


def _years_before(night: datetime.date, years: int) -> datetime.date:
    try:
        return night.replace(year=night.year - years)
    except ValueError:  # 29 February in a year that has none
        return night.replace(year=night.year - years, day=28)


@cache
def suite_parameters(district_code: str, night: datetime.date) -> dict:
    """Values of the suite's $PARAMETERs for one file."""
    if district_code not in DISTRICTS:
        raise ValueError(f"{district_code!r} is not a district of Banten")
    kecamatan = sorted(kecamatan_codes(district_code))
    # Age <= MAX_AGE_YEARS means born after the night MAX_AGE_YEARS + 1 years ago.
    oldest = _years_before(night, MAX_AGE_YEARS + 1) + datetime.timedelta(days=1)
    return {
        "night": night.isoformat(),
        "oldest_birth_date": oldest.isoformat(),
        "wajib_ktp_born_on_or_before": _years_before(night, WAJIB_KTP_AGE).isoformat(),
        "district_codes": [district_code],
        "kecamatan_codes": [kec[4:] for kec in kecamatan],
        "kec_kel_codes": sorted(desa[4:] for kec in kecamatan for desa in desa_codes(kec)),
    }


def _raised(exception_info: dict) -> bool:
    """GX reports a crash either at the top level or per metric that failed."""
    if exception_info.get("raised_exception"):
        return True
    return any(isinstance(v, dict) and v.get("raised_exception") for v in exception_info.values())


def run_suite(
    work: pd.DataFrame, district_code: str, night: datetime.date
) -> tuple[dict[str, np.ndarray], ExpectationSuiteValidationResult]:
    """Validate a prepared chunk (prepare.derive). Returns the failing source_rows
    of every rule, and GX's result (which still holds row numbers: redact it
    before storing)."""
    batch_definition, suite = runtime()
    if work.empty:
        return {}, _nothing_to_check(suite, district_code, night)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": work})
    result = batch.validate(
        suite,
        result_format=RESULT_FORMAT,
        expectation_parameters=suite_parameters(district_code, night),
    )
    failing: dict[str, np.ndarray] = {}
    for outcome in result.results:
        rule = outcome.expectation_config.meta["rule"]
        if _raised(outcome.exception_info):
            # A crashed expectation checked nothing; loading its rows as good
            # would be silent data loss of a rule. The exception text is left
            # out: it can quote a value of the row.
            raise RuntimeError(
                f"expectation {outcome.expectation_config.type} (rule {rule}) failed to run"
            )
        index_list = outcome.result.get("unexpected_index_list") or [{INDEX: []}]
        failing[rule] = np.asarray(index_list[0][INDEX], dtype="int64")
    return failing, result


def _nothing_to_check(suite, district_code: str, night: datetime.date) -> ExpectationSuiteValidationResult:
    """What GX reports for a chunk of no rows, without running it: every
    expectation met over none. On an ordinary night most districts send no
    changed row, and a GX run costs about a second even then (building its
    metric graph, not the rows); tests/unit/test_validate.py holds the two equal."""
    parameters = suite_parameters(district_code, night)
    outcomes = []
    for expectation in suite.expectations:
        config = copy.deepcopy(expectation.configuration)
        config.kwargs = {"batch_id": BATCH_ID, **{
            name: parameters[value["$PARAMETER"]] if isinstance(value, dict) and "$PARAMETER" in value else value
            for name, value in config.kwargs.items()}}
        # GX counts no missing values for the expectation about missing values.
        counts = dict.fromkeys(("element_count", "unexpected_count")
                               + (() if config.type == "expect_column_values_to_not_be_null" else ("missing_count",)), 0)
        outcomes.append(ExpectationValidationResult(success=True, expectation_config=config, result=counts))
    # In GX's order: expectations grouped by their column, in order of first
    # appearance, those of several columns as one group (its Validator.
    # process_expectations_for_validation).
    groups: dict[str | None, list[ExpectationValidationResult]] = {}
    for outcome in outcomes:
        column = outcome.expectation_config.kwargs.get("column")
        groups.setdefault(column if isinstance(column, str) else None, []).append(outcome)
    return ExpectationSuiteValidationResult(success=True, results=[o for group in groups.values() for o in group],
                                            suite_name=suite.name)
