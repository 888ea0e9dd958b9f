"""Whole-night figures: a first night (every row new), an ordinary night
(about 1% of records changed) and a night with nothing changed (the ordinary
night's files delivered again as the next night's), per step wall time, its
share of the night, rows/s and peak memory, each night's time as a ratio to a
raw COPY of the same files in the same run, and the ordinary night once more
end to end through `dukcapil run` (Airflow's dag.test(), on a copy of the
database the first night left). Closes with the targets of issue #22 beside
the figures. Several sizes print their ordinary nights side by side.

    uv run python bench/bench_load.py --persons 12900000 [--sample-dir DIR] [--workers 2]
    uv run python bench/bench_load.py --persons 1000000 12900000   # side by side
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
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from multiprocessing.pool import ThreadPool
from pathlib import Path

import psycopg2

NIGHTS = [dt.date(2026, 11, 25), dt.date(2026, 11, 26)]
# The ordinary night's files again, as the night after it: nothing changed.
SAME_AGAIN = dt.date(2026, 11, 27)
GIB = 1024

# Issue #22's targets: (figure, limit, unit), checked where the night's size says.
TARGETS_1M = {"ordinary night, step work": (3.0, "x"), "ordinary night, dukcapil run": (5.0, "x"),
              "first night": (50.0, "x"), "nothing changed": (1.5, "x")}
TARGETS_PROVINCE = {"ordinary night, step work": (90.0, "s"), "first night": (1800.0, "s")}


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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000],
                        help="one size, or several run one after another and printed side by side")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="districts staged at once")
    parser.add_argument("--sample-dir", type=Path, nargs="+",
                        help="where each size's two-night sample is kept (generated when missing), one per "
                             "--persons; default .local/bench_load_PERSONS_SEED")
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
    parser.add_argument("--no-airflow", action="store_true",
                        help="leave out the ordinary night through `dukcapil run`")
    args = parser.parse_args()
    if args.sample_dir and len(args.sample_dir) != len(args.persons):
        parser.error("--sample-dir: one folder per --persons value")
    if len(args.persons) > 1 and (args.keep or args.ordinary_from):
        parser.error("--keep and --ordinary-from work on one size")

    results = []
    for index, persons in enumerate(args.persons):
        if index:
            print()
        landing = args.sample_dir[index] if args.sample_dir else Path(".local") / f"bench_load_{persons}_{args.seed}"
        print(f"#### {persons:,} persons", flush=True)
        results.append(bench(persons, landing, args))
    if len(results) > 1:
        print_side_by_side(results)
    return 0


def bench(persons: int, landing: Path, args: argparse.Namespace) -> dict:
    """One size's nights in a fresh database (dropped at the end unless --keep)."""
    from pipelines.warehouse.connection import server_url, with_database

    server = server_url()
    database = f"dukcapil_bench_{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    create_database(server, database, args.ordinary_from)
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
    if not all((landing / night.isoformat()).is_dir() for night in NIGHTS):
        from pipelines.sample import generate

        started = time.perf_counter()
        generate(landing, NIGHTS, persons=persons, seed=args.seed)
        print(f"sample: {persons:,} persons, 2 nights, in {time.perf_counter() - started:.1f} s ({landing})")
    result: dict = {"persons": persons}
    scratch = Path(tempfile.mkdtemp(prefix="bench_load_"))
    airflow_copy = None
    try:
        from pipelines.warehouse import migrate

        migrate(url)
        print_server_settings(url)
        from pipelines.nightly import preload_staging

        preload_staging()  # once, as an Airflow worker does when it starts (pipelines/celery_config.py)
        if not args.ordinary_from:
            result["first"] = run_night("first night", landing, NIGHTS[0], url, args.workers)
            if args.keep:
                print(f"kept database {database}: --ordinary-from {database}", flush=True)
                return result
        if not args.no_airflow:
            # The same ordinary night through Airflow, from the same starting point.
            airflow_copy = f"{database}_airflow"
            create_database(server, airflow_copy, database)
        result["ordinary"] = run_night("ordinary night", landing, NIGHTS[1], url, args.workers)
        if airflow_copy:
            result["airflow"] = dukcapil_run(landing, NIGHTS[1], with_database(server, airflow_copy), scratch)
            print(f"dukcapil run, ordinary night, end to end: {result['airflow']:.1f} s = "
                  f"{result['airflow'] / result['ordinary']['baseline']:.1f}x raw COPY "
                  f"(step work {result['ordinary']['total']:.1f} s)", flush=True)
        same_again = deliver_again(landing, NIGHTS[1], scratch, SAME_AGAIN)
        result["same"] = run_night("nothing changed", same_again, SAME_AGAIN, url, args.workers)
        print_targets(result)
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        with contextlib.closing(psycopg2.connect(server)) as conn:
            conn.autocommit = True
            for name in [airflow_copy] + ([] if args.keep else [database]):
                if name:
                    conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(server: str, name: str, template: str | None = None) -> None:
    with contextlib.closing(psycopg2.connect(server)) as conn:
        conn.autocommit = True
        conn.cursor().execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def deliver_again(landing: Path, night: dt.date, scratch: Path, again: dt.date) -> Path:
    """`night`'s files and manifests under `again`'s folder of a landing in
    `scratch`, each manifest naming its new night (docs/contract/district-export.md)."""
    folder = scratch / "landing" / again.isoformat()
    folder.mkdir(parents=True)
    for path in sorted((landing / night.isoformat()).iterdir()):
        if path.name.endswith(".manifest.json"):
            manifest = json.loads(path.read_text(encoding="utf-8"))
            (folder / path.name).write_text(json.dumps({**manifest, "export_date": again.isoformat()}),
                                            encoding="utf-8")
        else:
            shutil.copyfile(path, folder / path.name)
    return folder.parent


def dukcapil_run(landing: Path, night: dt.date, url: str, scratch: Path) -> float:
    """Wall seconds of `dukcapil run` for `night` against `url`, in its own process
    as an operator runs it, with a private Airflow home whose metadata DB was
    migrated beforehand (a one-off, timed apart)."""
    env = {**os.environ, "WAREHOUSE_URL": url, "DUKCAPIL_LOCAL_DIR": str(scratch / "local")}
    env.pop("AIRFLOW_HOME", None)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from pipelines.airflow_runner import prepare_airflow; prepare_airflow()"],
                   check=True, env=env)
    print(f"\nAirflow's metadata DB migrated once, untimed: {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--landing", str(landing),
                           "--night", night.isoformat()], env=env, stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):
        print(done.stdout)
        raise RuntimeError(f"dukcapil run exited {done.returncode}")
    return seconds


def print_targets(result: dict) -> None:
    """Issue #22's targets beside this run's figures."""
    province = result["persons"] >= 10_000_000
    figures = {}
    if "first" in result:
        first = result["first"]
        figures["first night"] = first["total"] if province else first["total"] / first["baseline"]
    ordinary = result["ordinary"]
    figures["ordinary night, step work"] = ordinary["total"] if province else ordinary["total"] / ordinary["baseline"]
    if "airflow" in result and not province:
        figures["ordinary night, dukcapil run"] = result["airflow"] / ordinary["baseline"]
    if not province:
        figures["nothing changed"] = result["same"]["total"] / result["same"]["baseline"]
    targets = TARGETS_PROVINCE if province else TARGETS_1M
    print(f"\n{'target (issue #22)':<32}{'measured':>10}{'limit':>10}  met")
    for name, value in figures.items():
        limit, unit = targets[name]
        print(f"{name:<32}{value:>9.1f}{unit}{limit:>9.1f}{unit}  {'yes' if value <= limit else 'NO'}")
    peak = max(night["peak"] for key, night in result.items() if key in ("first", "ordinary", "same"))
    print(f"{'peak memory of a process':<32}{peak / GIB:>8.1f}Gi{8:>8.1f}Gi  {'yes' if peak <= 8 * GIB else 'NO'}")


def print_side_by_side(results: list[dict]) -> None:
    """The ordinary night of each size: its cost should grow with the rows
    changed, plus one read of the files."""
    print("\n== ordinary night side by side")
    print(f"{'':<26}" + "".join(f"{r['persons']:>16,}" for r in results))
    rows = [("rows read", lambda o, r: f"{o['rows']:,}"), ("new or changed", lambda o, r: f"{o['changed']:,}"),
            ("raw COPY s", lambda o, r: f"{o['baseline']:.1f}")]
    rows += [(f"{step} s", lambda o, r, step=step: f"{o['steps'][step]:.1f}") for step in results[0]["ordinary"]["steps"]]
    rows += [("step work s", lambda o, r: f"{o['total']:.1f}"),
             ("step work x raw COPY", lambda o, r: f"{o['total'] / o['baseline']:.1f}"),
             ("dukcapil run x raw COPY", lambda o, r: f"{r['airflow'] / o['baseline']:.1f}" if "airflow" in r else "–"),
             ("ms per changed row", lambda o, r: f"{1000 * o['total'] / max(o['changed'], 1):.2f}")]
    for label, cell in rows:
        print(f"{label:<26}" + "".join(f"{cell(r['ordinary'], r):>16}" for r in results))


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


def run_night(label: str, landing: Path, night: dt.date, url: str, workers: int) -> dict:
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
    rejected = [o["district_code"] for o in outcomes if o["status"] not in ("staged", "unchanged")]
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
    print("share of the step work: " + ", ".join(f"{name.split(' ')[0]} {seconds / total:.0%}"
                                                 for name, seconds, _, _ in steps))
    print(f"raw COPY of the same files: {baseline:.1f} s ({rows / baseline:,.0f} rows/s)", flush=True)
    print(f"whole night: {total:.1f} s = {total / baseline:.1f}x raw COPY", flush=True)
    return {"night": night, "rows": rows, "changed": validated, "baseline": baseline, "total": total,
            "steps": {name.split(" ")[0]: seconds for name, seconds, _, _ in steps},
            "peak": max(peak for _, _, _, peak in steps)}


if __name__ == "__main__":
    sys.exit(main())
