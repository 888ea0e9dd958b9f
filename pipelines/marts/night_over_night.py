"""Night over night, per district: rows loaded and recorded e-KTP compared with
the previous night the warehouse holds. A large swing is rarely real (a district
does not lose 5% of its residents overnight): it is a truncated or duplicated
export, a re-districting, or a SIAK bulk edit, and someone should look."""

from __future__ import annotations

import datetime as dt

from pipelines.contract import DISTRICTS
from pipelines.marts import read

ROWS_SWING = 0.05  # share of rows loaded
RECORDED_SWING = 0.02  # share of residents with a recorded e-KTP


def _change(current: int, previous: int | None) -> float | None:
    """Relative change, or None when there is nothing to compare with."""
    if previous is None or previous == 0:
        return None
    return (current - previous) / previous


def _swing(label: str, current: int, previous: int | None, change: float | None, limit: float) -> str | None:
    """A warning in Bahasa Indonesia when the change passes the limit (either way)."""
    if previous is None:
        return None
    if change is None:
        return f"{label} naik dari 0 menjadi {current}" if current else None
    if abs(change) <= limit:
        return None
    direction = "naik" if change > 0 else "turun"
    # Written as Indonesians read it: decimal comma.
    size = f"{abs(change) * 100:.1f}".replace(".", ",")
    return f"{label} {direction} {size}% ({previous} → {current}), batas {limit * 100:g}%"


def night_over_night(cur, night: dt.date, rows_swing: float = ROWS_SWING,
                     recorded_swing: float = RECORDED_SWING) -> list[dict]:
    """One dict per district: rows and recorded e-KTP of the night and of the
    previous night, their relative changes, and `warnings` (sentences in Bahasa
    Indonesia, empty when nothing swung). Counts only: safe to log."""
    result = []
    for row in read(cur, "night_over_night", night=night, districts=sorted(DISTRICTS)):
        rows, recorded = row["rows"] or 0, row["recorded"] or 0
        rows_change = _change(rows, row["rows_previous"])
        recorded_change = _change(recorded, row["recorded_previous"])
        warnings = [
            warning for warning in (
                _swing("Baris dimuat", rows, row["rows_previous"], rows_change, rows_swing),
                _swing("Penduduk sudah rekam KTP-el", recorded, row["recorded_previous"], recorded_change,
                       recorded_swing),
            ) if warning
        ]
        result.append({**row, "district_name": DISTRICTS[row["district_code"]].name, "rows": rows,
                       "recorded": recorded, "rows_change": rows_change, "recorded_change": recorded_change,
                       "warnings": warnings})
    return result
