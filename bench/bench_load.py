"""Load throughput: parse, validate and load rows/s for one sample night, and the
load's ratio to a raw COPY of the same files done in the same run.

    uv run python bench/bench_load.py --persons 1000000

Runs the pipeline's step functions directly (Airflow adds scheduling, not work)
in a fresh database that is dropped at the end. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2

NIGHT = dt.date(2026, 11, 26)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from pipelines.warehouse.connection import ensure_database, server_url, with_database

    server = server_url()
    database = f"dukcapil_bench_{uuid.uuid4().hex[:8]}"
    ensure_database(server, database)
    os.environ["WAREHOUSE_URL"] = url = with_database(server, database)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            run(Path(tmp), url, args)
    finally:
        with contextlib.closing(psycopg2.connect(server)) as conn:
            conn.autocommit = True
            conn.cursor().execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return 0


def run(landing: Path, url: str, args: argparse.Namespace) -> None:
    from pipelines import nightly
    from pipelines.contract import DISTRICTS
    from pipelines.sample import generate
    from pipelines.warehouse import migrate

    started = time.perf_counter()
    generate(landing, [NIGHT], persons=args.persons, seed=args.seed)
    print(f"sample: {args.persons:,} persons in {time.perf_counter() - started:.1f} s")
    migrate(url)
    files = sorted((landing / NIGHT.isoformat()).glob("*.csv"))
    baseline = raw_copy_seconds(url, files)

    seconds = {"parse": 0.0, "validate": 0.0, "copy": 0.0}
    rows = 0
    started = time.perf_counter()
    for district in DISTRICTS:
        outcome = nightly.stage_district(landing, NIGHT, district)
        rows += outcome["rows_read"]
        for step in seconds:
            seconds[step] += outcome["seconds"][step]
    stage_total = time.perf_counter() - started
    timed = {}
    for step, function in (("identity", nightly.resolve_identity), ("publish", nightly.publish),
                           ("marts", nightly.refresh_marts)):
        started = time.perf_counter()
        function(NIGHT)
        timed[step] = time.perf_counter() - started

    load = seconds["copy"] + timed["publish"]
    night_total = stage_total + sum(timed.values())
    print(f"rows: {rows:,} in {len(files)} files")
    print(f"{'step':<10}{'seconds':>10}{'rows/s':>14}")
    for step, value in list(seconds.items()) + list(timed.items()):
        print(f"{step:<10}{value:>10.2f}{rows / value if value else 0:>14,.0f}")
    print(f"raw COPY of the same files: {baseline:.2f} s ({rows / baseline:,.0f} rows/s)")
    print(f"load (COPY to staging + publish) / raw COPY: {load / baseline:.1f}x")
    print(f"whole night / raw COPY: {night_total / baseline:.1f}x ({night_total:.1f} s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
