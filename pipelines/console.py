"""What `dukcapil` shows an operator: one line per district while a night
runs, a closing table of what *this* run did, the full log in a file, exit
codes a scheduler can act on, and one plain line instead of a traceback when
the warehouse cannot be reached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import psycopg2
import psycopg2.extensions

from pipelines import settings
from pipelines.contract import DISTRICTS
from pipelines.reports.fmt import number
from pipelines.sql import sql

# Exit codes of `dukcapil run` (README, docs/architecture.md):
EXIT_LOADED = 0  # every district's file is in the warehouse for the night (loaded now, or unchanged)
EXIT_ERROR = 1  # the run failed (a systemic fault: database, disk, a bug); see the log
EXIT_USAGE = 2  # bad arguments or a landing/night folder that does not exist; nothing ran
EXIT_PARTIAL = 3  # some districts rejected or their file missing; the others were published
EXIT_NOTHING = 4  # no district loaded: every file rejected or missing

# This run's words for each outcome; "tidak diterima" (no file came) is kept
# apart from "ditolak" (a file came and was refused), as in the report.
STATUS = {"staged": "dimuat", "loaded": "dimuat", "unchanged": "tidak berubah", "rejected": "ditolak",
          "missing": "tidak diterima"}


def server_name(url: str) -> str:
    """`user@host:port/db` of a libpq URL, never its password."""
    try:
        params = psycopg2.extensions.parse_dsn(url)
    except psycopg2.ProgrammingError:
        return "(WAREHOUSE_URL is not a valid libpq URL)"
    user = f"{params['user']}@" if params.get("user") else ""
    return f"{user}{params.get('host', 'localhost')}:{params.get('port', '5432')}/{params.get('dbname', '')}"


def unreachable(error: Exception) -> str:
    """One line for an operator when the warehouse cannot be reached."""
    url = settings.warehouse_url()
    if not url:
        return f"error: no warehouse: {error}"
    detail = (str(error).strip().splitlines() or ["no answer"])[0]
    return (f"error: cannot reach the warehouse {server_name(url)} (WAREHOUSE_URL): {detail}. "
            "Check that PostgreSQL runs there and accepts connections, and the host, port, user and password.")


def landing_problem(landing: Path, night: dt.date) -> str | None:
    """Why a night cannot be looked for at all (the path searched), or None."""
    if not landing.is_dir():
        return f"error: landing folder not found: {landing.resolve()}"
    folder = landing / night.isoformat()
    if not folder.is_dir():
        return f"error: no folder for night {night}: {folder.resolve()} does not exist"
    return None


def outcome_code(outcomes: dict[str, dict]) -> int:
    """The exit code for a finished run from this run's district outcomes."""
    kept = [code for code in DISTRICTS if (outcomes.get(code) or {}).get("status") in ("staged", "unchanged")]
    if len(kept) == len(DISTRICTS):
        return EXIT_LOADED
    return EXIT_PARTIAL if kept else EXIT_NOTHING


def status_of(row: dict | None) -> str:
    if row is None or (row["status"] == "rejected" and row["file_name"] is None):
        return "missing"
    return row["status"]


def progress_line(done: int, row: dict) -> str:
    """`[3/8] 3603 Kab. Tangerang: dimuat 26.924, karantina 3`."""
    status = status_of(row)
    head = f"[{done}/{len(DISTRICTS)}] {row['district_code']} {DISTRICTS[row['district_code']].name}: "
    if status == "staged":
        return head + f"dimuat {number(row['rows_loaded'])}, karantina {number(row['rows_quarantined'])}"
    if status == "rejected":
        return head + f"ditolak: {row['reason']}"
    return head + STATUS[status] + (" (sama dengan berkas yang sudah dimuat)" if status == "unchanged" else "")


def summary_table(outcomes: dict[str, dict]) -> list[str]:
    """This run's outcome per district: an unchanged file is not counted as loaded again."""
    name_w = max(len(f"{code} {d.name}") for code, d in DISTRICTS.items())
    lines = [f"{'Kab/Kota':<{name_w}}  {'Status':<14}{'Dibaca':>10}{'Dimuat':>10}{'Karantina':>11}  Keterangan"]
    for code, district in DISTRICTS.items():
        row = outcomes.get(code)
        status = status_of(row)
        fresh = status == "staged"
        counts = [number(row[key]) if fresh else "–" for key in ("rows_read", "rows_loaded", "rows_quarantined")]
        note = (row or {}).get("reason") if status == "rejected" else ""
        lines.append(f"{code + ' ' + district.name:<{name_w}}  {STATUS[status]:<14}{counts[0]:>10}{counts[1]:>10}"
                     f"{counts[2]:>11}  {note or ''}".rstrip())
    return lines


def headline(night: dt.date, outcomes: dict[str, dict], code: int) -> str:
    kept = sum(status_of(outcomes.get(c)) in ("staged", "unchanged") for c in DISTRICTS)
    return {EXIT_LOADED: f"Malam {night}: {kept} dari {len(DISTRICTS)} kab/kota ada di gudang data.",
            EXIT_PARTIAL: f"Malam {night}: hanya {kept} dari {len(DISTRICTS)} kab/kota dimuat; "
                          "yang lain ditolak atau tidak diterima.",
            EXIT_NOTHING: f"Malam {night}: tidak ada kab/kota yang dimuat."}.get(
        code, f"Malam {night}: run GAGAL; lihat log.")


def run_for_operator(landing: Path, night: dt.date) -> int:
    """`dukcapil run`: the DAG through dag.test(), quietly; returns the exit code."""
    from pipelines.airflow_runner import run_night
    from pipelines.settings import local_dir, reports_dir
    from pipelines.warehouse import connect, migrate

    problem = landing_problem(landing, night)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    migrate()  # also proves the warehouse answers before Airflow starts
    log_path = local_dir() / "logs" / f"run-{night}-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    print(f"Malam {night} dari {landing}; log lengkap: {log_path}", flush=True)
    with output_to(log_path) as terminal:
        watcher = RunWatcher(connect, night, lambda line: print(line, file=terminal))
        watcher.start()
        try:
            state = run_night(landing, night)
        finally:
            outcomes = watcher.finish()
    code = outcome_code(outcomes) if state == "success" else EXIT_ERROR
    print("\n" + headline(night, outcomes, code))
    print("\n".join(summary_table(outcomes)))
    report = reports_dir() / night.isoformat()
    print(f"\nLaporan: {report / 'index.html'}\nData Docs: {report / 'data_docs' / 'index.html'}"
          f"\nLog lengkap: {log_path}")
    return code


class RunWatcher(threading.Thread):
    """Reads, while a night runs, each district outcome this run records (staging.load,
    then audit.load_attempt once published) and reports each one once."""

    def __init__(self, connect: Callable, night: dt.date, report: Callable[[str], None], every: float = 0.5):
        super().__init__(daemon=True)
        self.connect, self.night, self.report, self.every = connect, night, report, every
        self.outcomes: dict[str, dict] = {}
        self.stopped = threading.Event()
        with connect() as conn, conn.cursor() as cur:
            cur.execute(sql("pipelines.warehouse", "run_floor"))
            self.load_after, self.attempt_after = cur.fetchone()

    def poll(self) -> None:
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute(sql("pipelines.warehouse", "run_outcomes"), {"night": self.night, "load_after": self.load_after,
                                                "attempt_after": self.attempt_after})
            names = [column.name for column in cur.description]
            rows = [dict(zip(names, row)) for row in cur.fetchall()]
        for row in rows:
            if row["district_code"] not in self.outcomes:
                self.outcomes[row["district_code"]] = row
                self.report(progress_line(len(self.outcomes), row))

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            with contextlib.suppress(psycopg2.Error):  # a hiccup only delays a progress line
                self.poll()

    def finish(self) -> dict[str, dict]:
        self.stopped.set()
        self.join()
        self.poll()
        return self.outcomes


@contextlib.contextmanager
def output_to(log_path: Path) -> Iterator[TextIO]:
    """Everything the process writes (Airflow's and the libraries' logs, through
    sys.stdout/stderr or straight to the file descriptors) goes to `log_path`;
    yields a stream to the terminal."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    with log_path.open("a", buffering=1, encoding="utf-8") as log, \
            contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield terminal
        finally:
            log.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            terminal.close()
