"""Whole-night figures: a first night (every row new) and an ordinary night
(about 1% of records changed), per step wall time, rows/s and peak memory, and
each night's time as a ratio to a raw COPY of the same files in the same run.

    uv run python bench/bench_load.py --persons 12900000 [--sample-dir DIR] [--workers 2]
    uv run python bench/bench_load.py --persons 12900000 --keep            # first night, kept
    uv run python bench/bench_load.py --persons 12900000 --ordinary-from DB  # on a copy of it

Runs the pipeline's step functions directly (Airflow adds scheduling, not work)
in a fresh database that is dropped at the end. Districts are staged by
`--workers` processes at once, as Airflow's mapped tasks run on a worker with
that many slots, each forked from a parent that preloaded staging as the
worker does (pipelines/celery_config.py); the later steps run in forked
processes too. Peak memory is each step's resident high-water mark: of its
process, and of the largest district process for staging, counting the pages
it shares with its parent (PostgreSQL's own memory is not counted). Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import multiprocessing
import os
import sys
import time
import traceback
import uuid
from multiprocessing.pool import ThreadPool
from pathlib import Path

import psycopg2

NIGHTS = [dt.date(2026, 11, 25), dt.date(2026, 11, 26)]


def peak_rss_mib() -> float:
    """This process's resident high-water mark since the last reset_peak()."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    # Writing 5 to clear_refs resets VmHWM (Linux): each step gets its own peak.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def raw_copy_seconds(url: str, files: list[Path]) -> float:
    """Baseline: COPY each file as-is into an all-text table (no parsing, no checks)."""
    from pipelines.contract import COLUMNS

    columns = ", ".join(f"{c.lower()} text" for c in COLUMNS)
    with contextlib.closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE UNLOGGED TABLE raw_copy ({columns})")
        started = time.perf_counter()
        for path in files:
            with path.open("rb") as stream:
                cur.copy_expert("COPY raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)", stream)
        conn.commit()
        elapsed = time.perf_counter() - started
        cur.execute("DROP TABLE raw_copy")
        conn.commit()
    return elapsed


def step_line(name: str, seconds: float, rows: int, peak: float, steps: list) -> None:
    """Print a step as soon as it is done (a province-sized night runs for a long time)."""
    steps.append((name, seconds, rows, peak))
    print(f"{name:<22}{seconds:>9.1f}{rows / seconds if seconds else 0:>13,.0f}{peak:>10,.0f}", flush=True)


def in_child(function, *args):
    """`function(*args)` in a process forked from this one, as an Airflow task is
    forked from its worker: returns its result and the child's peak MiB. This
    process runs no step itself: forked after identity had run here (DuckDB's and
    Arrow's threads), every staging process of the ordinary night died of a
    segfault, and multiprocessing.Pool waited for their results for ever."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_and_send, args=(send, function, args))
    child.start()
    send.close()
    try:
        failed, result, peak = receive.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"{function.__name__}{args} died (exit code {child.exitcode})") from None
    child.join()
    if failed:
        raise RuntimeError(f"{function.__name__}{args} failed:\n{result}")
    return result, peak


def _run_and_send(send, function, args) -> None:
    reset_peak()
    try:
        send.send((False, function(*args), peak_rss_mib()))
    except BaseException:
        send.send((True, traceback.format_exc(), peak_rss_mib()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="districts staged at once")
    parser.add_argument("--sample-dir", type=Path,
                        help="where the two-night sample is kept (generated when missing); "
                             "default .local/bench_load_PERSONS_SEED")
    # A province's first night takes over an hour: keep its database once, then
    # measure ordinary nights (one change at a time) on copies of it.
    # --keep with --ordinary-from keeps the copy instead.
    parser.add_argument("--keep", action="store_true",
                        help="run the first night only and keep its database (its name is printed)")
    parser.add_argument("--ordinary-from", metavar="DATABASE",
                        help="run the ordinary night only, on a fresh copy of DATABASE (one kept by --keep "
                             "after its first night; the copy is dropped at the end)")
    parser.add_argument("--prepare", metavar="SQL", default="",
                        help="with --ordinary-from: statements run on the copy before its night, one by one "
                             "outside a transaction (a change under test, such as a CLUSTER); timed apart")
    args = parser.parse_args()

    from pipelines.warehouse.connection import server_url, with_database

    server = server_url()
    database = f"dukcapil_bench_{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    with contextlib.closing(psycopg2.connect(server)) as conn:
        conn.autocommit = True
        template = f' TEMPLATE "{args.ordinary_from}"' if args.ordinary_from else ""
        conn.cursor().execute(f'CREATE DATABASE "{database}"{template}')
    if args.ordinary_from:
        print(f"copied {args.ordinary_from} in {time.perf_counter() - started:.1f} s")
    os.environ["WAREHOUSE_URL"] = url = with_database(server, database)
    if args.prepare:
        started = time.perf_counter()
        with contextlib.closing(psycopg2.connect(url)) as conn:
            conn.autocommit = True
            for statement in filter(str.strip, args.prepare.split(";")):
                conn.cursor().execute(statement)
        print(f"prepared the copy in {time.perf_counter() - started:.1f} s: {args.prepare}")
    landing = args.sample_dir or Path(".local") / f"bench_load_{args.persons}_{args.seed}"
    if not all((landing / night.isoformat()).is_dir() for night in NIGHTS):
        from pipelines.sample import generate

        started = time.perf_counter()
        generate(landing, NIGHTS, persons=args.persons, seed=args.seed)
        print(f"sample: {args.persons:,} persons, 2 nights, in {time.perf_counter() - started:.1f} s ({landing})")
    try:
        from pipelines.warehouse import migrate

        migrate(url)
        print_server_settings(url)
        from pipelines.nightly import preload_staging

        preload_staging()  # once, as an Airflow worker does when it starts (pipelines/celery_config.py)
        nights = list(zip(("first night", "ordinary night"), NIGHTS))
        for label, night in nights[1:] if args.ordinary_from else nights:
            run_night(label, landing, night, url, args.workers)
            if args.keep:
                print(f"kept database {database}: --ordinary-from {database}", flush=True)
                break
    finally:
        if not args.keep:
            with contextlib.closing(psycopg2.connect(server)) as conn:
                conn.autocommit = True
                conn.cursor().execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return 0


def print_server_settings(url: str) -> None:
    """The figures depend on the server's memory and WAL settings: say which ran."""
    from pipelines.warehouse.connection import SERVER_SETTINGS

    with contextlib.closing(psycopg2.connect(url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s) ORDER BY name",
                    (list(SERVER_SETTINGS),))
        shown = dict(cur.fetchall())
    print("server: " + ", ".join(f"{name}={value}" for name, value in shown.items()))
    differ = sorted(name for name in SERVER_SETTINGS if shown.get(name) != SERVER_SETTINGS[name])
    if differ:
        print(f"  not as sized in pipelines/warehouse/connection.py: {', '.join(differ)}")


def run_night(label: str, landing: Path, night: dt.date, url: str, workers: int) -> None:
    from pipelines import nightly
    from pipelines.contract import DISTRICTS

    files = sorted((landing / night.isoformat()).glob("*.csv"))
    baseline = raw_copy_seconds(url, files)
    steps: list[tuple[str, float, int, float]] = []  # name, seconds, rows, peak MiB

    started = time.perf_counter()
    # A fresh process per district, `workers` at once, each forked from this
    # preloaded one as a task is from a worker (the threads only wait for them).
    with ThreadPool(workers) as pool:
        staged = pool.map(lambda district: in_child(nightly.stage_district, landing, night, district),
                          sorted(DISTRICTS), chunksize=1)
    stage_seconds = time.perf_counter() - started
    outcomes = [outcome for outcome, _ in staged]
    rows = sum(o["rows_read"] for o in outcomes)
    validated = rows - sum(o["rows_unchanged"] for o in outcomes)
    rejected = [o["district_code"] for o in outcomes if o["status"] != "staged"]
    print(f"\n== {label} {night}: {rows:,} rows in {len(files)} files, {validated:,} new or changed"
          + (f"; not staged: {', '.join(rejected)}" if rejected else ""))
    print(f"{'step':<22}{'wall s':>9}{'rows/s':>13}{'peak MiB':>10}")
    step_line(f"stage ({workers} at once)", stage_seconds, rows, max(peak for _, peak in staged), steps)
    busy = {step: sum(o["seconds"][step] for o in outcomes) for step in ("parse", "validate", "copy")}
    print("  inside staging (process seconds, all districts): "
          + ", ".join(f"{step} {value:.1f} s" for step, value in busy.items()), flush=True)
    for step, function in (("identity", nightly.resolve_identity), ("publish", nightly.publish_night),
                           ("marts", nightly.refresh_marts)):
        started = time.perf_counter()
        _, peak = in_child(function, night)
        step_line(step, time.perf_counter() - started, rows, peak, steps)

    total = sum(seconds for _, seconds, _, _ in steps)
    print(f"raw COPY of the same files: {baseline:.1f} s ({rows / baseline:,.0f} rows/s)", flush=True)
    print(f"whole night: {total:.1f} s = {total / baseline:.1f}x raw COPY", flush=True)


if __name__ == "__main__":
    sys.exit(main())
