"""Finishing a night: the marts, then Data Docs, the managers' report and the
run summary. Orchestration only: the statements are the warehouse's and the
marts', the rendering the reports'."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pipelines import lease
from pipelines.contract import DISTRICTS
from pipelines.warehouse import connect, loads
from pipelines.warehouse.publish import winners_at

log = logging.getLogger(__name__)


def build_marts(cur, night: dt.date) -> None:
    """The night's winning records, then the marts that count them (in the caller's transaction)."""
    from pipelines.marts import refresh_marts

    winners_at(cur, night)
    refresh_marts(cur, night)


def refresh_marts(night: dt.date, run_id: str | None = None) -> None:
    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        build_marts(cur, night)


def night_summary(night: dt.date) -> list[dict]:
    """Per district: status, rows read/loaded/quarantined, reason; plus persons. No personal data."""
    from pipelines.marts import read

    with connect() as conn, conn.cursor() as cur:
        return read(cur, "night_summary", night=night, districts=sorted(DISTRICTS))


def finish_night(night: dt.date, outcomes: list[dict], reports_root: Path) -> tuple[str, str]:
    """Write Data Docs and the managers' report; log the run summary. Rejected
    districts (those without a staged or unchanged outcome) make a warning on a
    finished run, not a failure. Returns the report's path and the summary text
    (counts and reasons only)."""
    from pipelines.notify import summary_text
    from pipelines.reports import write_report

    build_night_data_docs(night, reports_root / night.isoformat() / "data_docs")
    path = write_report(night, reports_root / night.isoformat())
    summary = summary_text(night, night_summary(night))
    log.info("%s", summary)
    _warn_night_over_night(night)
    kept = {o["district_code"] for o in outcomes if o["status"] != "rejected"}
    rejected = [code for code in DISTRICTS if code not in kept]
    if rejected:
        log.warning("Night %s finished with rejected districts: %s (see audit.file_load)", night, ", ".join(rejected))
    return str(path), summary


def _warn_night_over_night(night: dt.date) -> None:
    """Large swings in a district's rows or recorded e-KTP since the previous night."""
    from pipelines.marts.night_over_night import night_over_night

    with connect() as conn, conn.cursor() as cur:
        for row in night_over_night(cur, night):
            for warning in row["warnings"]:
                log.warning("Night %s district %s: %s", night, row["district_code"], warning)


def build_night_data_docs(night: dt.date, out_dir: Path) -> Path | None:
    """GX Data Docs for the night's loaded files, from their value-free results."""
    from pipelines.validate.datadocs import build_data_docs, from_record

    records = loads.validation_results(night)
    return build_data_docs([from_record(r) for r in records], out_dir) if records else None
