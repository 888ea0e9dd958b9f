"""validate_chunk: one chunk of one district file in, good and quarantined rows out."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from great_expectations.core import ExpectationSuiteValidationResult

from pipelines.contract import DATE_COLUMNS
from pipelines.validate.datadocs import redact
from pipelines.validate.gx_runner import run_suite
from pipelines.validate.prepare import INDEX, derive, iso_column
from pipelines.validate.rules import RULES


@dataclass
class Verdict:
    good: pd.DataFrame  # rows to load; DATE_COLUMNS as ISO text; plus source_row
    quarantined: pd.DataFrame  # source_row, reasons (JSON list of {rule, column, message})
    warnings: dict[str, int]  # warn rule -> rows loaded with that warning
    rule_failures: dict[str, int]  # rule -> rows failing it, any severity
    # The GX result without values or row numbers, for build_data_docs().
    summary: ExpectationSuiteValidationResult | None = None


def _reason_fragment(rule: str) -> str:
    r = RULES[rule]
    return json.dumps(
        {"rule": r.name, "column": r.column, "message": r.description_id}, ensure_ascii=False
    )


def _apply_supersedes(failing: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    result = dict(failing)
    for rule, rows in failing.items():
        for generic in RULES[rule].supersedes:
            result[generic] = np.setdiff1d(result[generic], rows, assume_unique=True)
    return result


def _reasons(failing: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per quarantined source_row with every quarantine reason, in suite order."""
    rules = [r for r in failing if RULES[r].severity == "quarantine" and len(failing[r])]
    if not rules:
        return pd.DataFrame({INDEX: pd.Series([], dtype="int64"),
                             "reasons": pd.Series([], dtype="string")})
    rows = np.concatenate([failing[r] for r in rules])
    order_in_suite = np.concatenate([np.full(len(failing[r]), i) for i, r in enumerate(rules)])
    fragments = np.array([_reason_fragment(r) for r in rules], dtype=object)
    # Sorting by (row, rule) once lets a groupby join the fragments in suite order.
    order = np.lexsort((order_in_suite, rows))
    joined = (
        pd.Series(fragments[order_in_suite[order]], index=rows[order])
        .groupby(level=0, sort=True).agg(",".join)
    )
    return pd.DataFrame({
        INDEX: joined.index.to_numpy(dtype="int64"),
        "reasons": pd.array("[" + joined.to_numpy(dtype=object) + "]", dtype="string"),
    })


def validate_chunk(frame: pd.DataFrame, district_code: str, night: datetime.date) -> Verdict:
    """Split a chunk into rows to load and rows to quarantine, by the suite in
    expectations/suites/district_rows.json. ``frame``: the contract's COLUMNS as
    pyarrow-backed strings plus source_row (int64, 1-based data row of the file)."""
    work = derive(frame)
    failing, result = run_suite(work, district_code, night)
    failing = _apply_supersedes(failing)

    quarantined = _reasons(failing)
    source_rows = frame[INDEX].to_numpy(dtype="int64")
    keep = ~np.isin(source_rows, quarantined[INDEX].to_numpy())
    good = frame.loc[keep].copy()
    for col in DATE_COLUMNS:
        good[col] = pd.array(work[iso_column(col)].to_numpy()[keep], dtype=frame[col].dtype)
    good = good.reset_index(drop=True)

    loaded = source_rows[keep]
    warnings = {
        rule: int(np.isin(rows, loaded).sum())
        for rule, rows in failing.items()
        if RULES[rule].severity == "warn" and len(rows)
    }
    rule_failures = {rule: len(rows) for rule, rows in failing.items() if len(rows)}
    assert len(good) + len(quarantined) == len(frame), "a row was lost or duplicated"
    return Verdict(
        good=good,
        quarantined=quarantined,
        warnings={rule: n for rule, n in warnings.items() if n},
        rule_failures=rule_failures,
        summary=redact(result, district_code, night),
    )
