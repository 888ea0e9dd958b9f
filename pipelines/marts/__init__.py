"""Read models for managers, as SQL: one file per mart, refreshed per night."""

from __future__ import annotations

import datetime as dt
from importlib import resources

MARTS = ("ektp_coverage",)


def refresh_marts(cur, night: dt.date) -> None:
    """Rebuild every mart's rows for `night` (inside the caller's transaction)."""
    for name in MARTS:
        cur.execute(resources.files("pipelines.marts").joinpath(f"{name}.sql").read_text(encoding="utf-8"),
                    {"night": night})
