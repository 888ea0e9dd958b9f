"""Derived columns computed once per chunk, vectorised, before the suite runs.

Great Expectations evaluates every expectation separately; parsing four date
columns inside each date expectation would repeat the slowest work several
times. Instead the chunk is widened with a few derived columns that the
expectations check directly:

- ``<DATE>_ISO``: the date read with either contract format, as ``YYYY-MM-DD``
  text (NA when empty or unreadable). ISO text orders like the dates, so range
  and ordering checks are plain string comparisons.
- ``KODE_KAB``: NO_PROP + NO_KAB, compared with the file's district code.
- ``KODE_KEC_KEL``: NO_KEC + NO_KEL, looked up among the district's desa.
"""

from __future__ import annotations

import pandas as pd

from pipelines.contract import COLUMNS, DATE_COLUMNS

# Free text is never checked by a rule; leaving it out of the frame handed to
# Great Expectations keeps names of parents and addresses out of its results.
UNCHECKED_COLUMNS = ("TMPT_LHR", "NAMA_LGKP_IBU", "NAMA_LGKP_AYAH", "ALAMAT")
INDEX = "source_row"

_ISO = r"\d{4}-\d{2}-\d{2}"
_DMY = r"^(\d{2})-(\d{2})-(\d{4})$"


def iso_column(column: str) -> str:
    return f"{column}_ISO"


def to_iso_dates(raw: pd.Series) -> pd.Series:
    """Read ``YYYY-MM-DD`` or ``DD-MM-YYYY`` text as ISO date text; NA when empty
    or not a calendar date (31-02-1990, 3.60101E+15, 1990-2-3)."""
    candidate = raw.str.replace(_DMY, r"\3-\2-\1", regex=True)
    well_formed = candidate.str.fullmatch(_ISO).fillna(False).astype(bool)
    # to_datetime with an exact format rejects impossible days and months.
    parsed = pd.to_datetime(candidate.where(well_formed), format="%Y-%m-%d", errors="coerce")
    return candidate.where(well_formed & parsed.notna().to_numpy()).astype("string")


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame Great Expectations validates: checked columns plus derived ones,
    indexed by ``source_row`` so that failures come back as file row numbers."""
    missing = [c for c in (*COLUMNS, INDEX) if c not in frame.columns]
    if missing:
        raise ValueError(f"chunk lacks columns {missing}: the ingest step must supply all of them")
    checked = [c for c in COLUMNS if c not in UNCHECKED_COLUMNS]
    work = frame[checked].copy()
    work.index = pd.Index(frame[INDEX].to_numpy(dtype="int64"), name=INDEX)
    for col in DATE_COLUMNS:
        work[iso_column(col)] = to_iso_dates(work[col])
    work["KODE_KAB"] = work["NO_PROP"] + work["NO_KAB"]
    work["KODE_KEC_KEL"] = work["NO_KEC"] + work["NO_KEL"]
    return work
