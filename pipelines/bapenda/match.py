"""One matching run: register file in, result file (and the managers' summary)
out, the run recorded in the warehouse.

    read + check -> features -> candidates (PostgreSQL) -> Splink scores
    -> decisions -> current residence of the decided persons -> result

Only the contract's columns leave (OUTPUT_COLUMNS); why each row was decided
stays in audit.bapenda_match_reason. Logs carry counts only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.bapenda import register as reg
from pipelines.bapenda import scoring
from pipelines.bapenda.decide import Decision, decide, is_minor
from pipelines.ingest import sha256_of  # the fingerprint audit.file_load records for district files
from pipelines.sql import sql
from pipelines.warehouse import connect, migrate
from pipelines.warehouse.copy import copy_frame

log = logging.getLogger(__name__)

OUTPUT_COLUMNS = ["ROW_NO", "NO_POLISI", "STATUS", "CONFIDENCE", "KODE_KAB", "KODE_KEC", "KODE_KEL", "ALAMAT",
                  "NO_RT", "NO_RW", "STATUS_HIDUP", "PINDAH"]
STATUSES = ("MATCHED", "PROBABLE", "NO_MATCH", "NOT_A_PERSON")
_KEY_COLUMNS = ["row_no", "nik", "name_skel", "first_skel", "initials", "dob", "birth_year", "nik_region",
                "nik_birth", "reg_kabs", "reg_kecs", "nik_kec", "rt_rw"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


@dataclass
class RunResult:
    run_id: str
    output: Path
    rows: int
    counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    summary_html: Path | None = None
    summary_csv: Path | None = None


def _pg_array(values) -> str | None:
    return None if values is None else "{" + ",".join(values) + "}"


def candidates(cur, features: pd.DataFrame) -> pd.DataFrame:
    """Identity nodes blocked with each register row (sql/candidates.sql)."""
    cur.execute("""CREATE TEMP TABLE bapenda_key (row_no int, nik text, name_skel text, first_skel text,
                   initials text, dob date, birth_year int, nik_region text, nik_birth text, reg_kabs text[],
                   reg_kecs text[], nik_kec text, rt_rw text) ON COMMIT DROP""")
    keys = features.assign(birth_year=pd.to_numeric(features["birth_year"]).astype("Int64"),
                           reg_kabs=features["reg_kabs"].map(_pg_array), reg_kecs=features["reg_kecs"].map(_pg_array),
                           rt_rw=features["addr_rt_rw"])[_KEY_COLUMNS]
    copy_frame(cur, "pg_temp.bapenda_key", keys, _KEY_COLUMNS)
    cur.execute("ANALYZE bapenda_key")  # without statistics the planner loops over 1 M nodes per row
    cur.execute(sql("pipelines.bapenda", "candidates"))
    columns = [d.name for d in cur.description]
    return pd.DataFrame(cur.fetchall(), columns=columns)


def _residence(cur, person_ids: list[str]) -> pd.DataFrame:
    cur.execute("""SELECT person_id, district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw, stat_hidup, tgl_lhr
                   FROM warehouse.person WHERE person_id = ANY(%s)""", (person_ids,))
    frame = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
    return frame.set_index("person_id")


def _cell(value) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _result_row(row: pd.Series, decision: Decision | None, person: pd.Series | None) -> dict:
    out = dict.fromkeys(OUTPUT_COLUMNS, "")
    out.update(ROW_NO=int(row["ROW_NO"]), NO_POLISI=row["NO_POLISI"], CONFIDENCE=0.0)
    if decision is None:  # every person row has a decision: this one names an organisation
        out["STATUS"] = "NOT_A_PERSON"
        return out
    out["STATUS"] = decision.status
    if person is None:
        return out
    out.update(CONFIDENCE=decision.confidence, KODE_KAB=person["district_code"], KODE_KEC=person["kecamatan_code"],
               KODE_KEL=person["desa_code"], ALAMAT=_cell(person["alamat"]), NO_RT=_cell(person["no_rt"]),
               NO_RW=_cell(person["no_rw"]), STATUS_HIDUP="MENINGGAL" if person["stat_hidup"] == "2" else "HIDUP")
    registered = reg.district_codes(row["KAB_KOTA_DAFTAR"])
    if registered is not None:
        out["PINDAH"] = "N" if person["district_code"] in registered else "Y"
    return out


def resolve(cur, register: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, list[Decision], dict, pd.DataFrame]:
    """(result frame in contract columns, the decisions, seconds per step, the
    register's own m the weights used: scoring.register_m)."""
    seconds, clock = {}, time.perf_counter()
    features = reg.features(register)
    cur.execute("SELECT count(*) FROM warehouse.person")
    persons = cur.fetchone()[0]
    pairs = candidates(cur, features) if len(features) else pd.DataFrame()
    seconds["candidates"], clock = time.perf_counter() - clock, time.perf_counter()
    scored, estimates = scoring.score(features, pairs, persons) if len(pairs) \
        else (pd.DataFrame(), pd.DataFrame(columns=scoring.ESTIMATE_COLUMNS))
    seconds["score"], clock = time.perf_counter() - clock, time.perf_counter()
    decisions = decide(scored) if len(scored) else {}
    for row_no in features["row_no"]:
        decisions.setdefault(int(row_no), Decision(int(row_no), "NO_MATCH", 0.0, "no_candidate"))
    returned = [d.person_id for d in decisions.values() if d.status in ("MATCHED", "PROBABLE")]
    residence = _residence(cur, returned)
    for d in decisions.values():
        if d.status in ("MATCHED", "PROBABLE") and is_minor(residence.at[d.person_id, "tgl_lhr"], as_of):
            d.status, d.confidence, d.rule = "NO_MATCH", 0.0, "minor"
    rows = []
    for row in register.to_dict("records"):
        decision = decisions.get(row["ROW_NO"])
        shared = decision is not None and decision.status in ("MATCHED", "PROBABLE")
        rows.append(_result_row(pd.Series(row), decision, residence.loc[decision.person_id] if shared else None))
    seconds["decide"] = time.perf_counter() - clock
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS), list(decisions.values()), seconds, estimates


def _store(cur, run: dict, result: pd.DataFrame, decisions: list[Decision], estimates: pd.DataFrame) -> None:
    cur.execute("""INSERT INTO bapenda.match_run (run_id, started_at, as_of, identity_night, input_name, input_sha256,
                       rows, matched, probable, no_match, not_a_person, summary)
                   VALUES (%(run_id)s, %(started_at)s, %(as_of)s, %(identity_night)s, %(input_name)s,
                           %(input_sha256)s, %(rows)s, %(MATCHED)s, %(PROBABLE)s, %(NO_MATCH)s, %(NOT_A_PERSON)s,
                           %(summary)s)""", run)
    shared = result.rename(columns=str.lower).assign(run_id=run["run_id"])
    copy_frame(cur, "bapenda.match_result", shared, ["run_id"] + [c.lower() for c in OUTPUT_COLUMNS])
    columns = ["run_id", "row_no", "rule", "person_id", "match_weight", "runner_up_weight", "candidates", "weights",
               "nik_neighbours"]
    reasons = pd.DataFrame([{"run_id": run["run_id"], "row_no": d.row_no, "rule": d.rule, "person_id": d.person_id,
                             "match_weight": d.match_weight, "runner_up_weight": d.runner_up_weight,
                             "candidates": d.candidates, "weights": json.dumps(d.weights) if d.weights else None,
                             "nik_neighbours": d.nik_neighbours}
                            for d in decisions], columns=columns).astype({"nik_neighbours": "Int64"})
    copy_frame(cur, "audit.bapenda_match_reason", reasons, columns)
    copy_frame(cur, "audit.bapenda_register_m", estimates.assign(run_id=run["run_id"]),
               ["run_id", *scoring.ESTIMATE_COLUMNS])


def match_file(input_path: Path, output_path: Path, as_of: dt.date | None = None,
               summary: bool = True) -> RunResult:
    """Match a register file; write the result (and `<output>.summary.html/.csv`)."""
    from pipelines.bapenda.summary import figures, write_summary

    input_path, output_path = Path(input_path), Path(output_path)
    as_of = as_of or dt.date.today()
    started = dt.datetime.now(dt.UTC)
    register = reg.read(input_path)
    migrate()
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT max(export_date) FROM audit.file_load WHERE status IN ('loaded', 'unchanged')")
        identity_night = cur.fetchone()[0]
        result, decisions, seconds, estimates = resolve(cur, register, as_of)
        counts = {status: int((result["STATUS"] == status).sum()) for status in STATUSES}
        run_id = f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        numbers = figures(register, result)
        _store(cur, {"run_id": run_id, "started_at": started, "as_of": as_of, "identity_night": identity_night,
                     "input_name": input_path.name, "input_sha256": sha256_of(input_path), "rows": len(result),
                     "summary": json.dumps(numbers), **counts}, result, decisions, estimates)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(output_path, index=False, encoding="utf-8")
    outcome = RunResult(run_id, output_path, len(result), counts, seconds)
    if summary:
        outcome.summary_html, outcome.summary_csv = write_summary(numbers, output_path, run_id, as_of, identity_night)
    log.info("Bapenda run %s: %d rows, %s", run_id, len(result), counts)
    return outcome
