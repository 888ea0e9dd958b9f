"""The least a first night can cost on this machine: the work no design of it
can skip, each part timed alone, as ratios to a raw COPY of the same files.

    uv run python bench/bench_floor.py [--persons 1000000]

A first night has to read every row, validate every row with Great
Expectations, and match every node with Splink (features, scoring,
clustering), and the rows have to land in PostgreSQL at least once (one raw
COPY). Here each is done alone, on the sample of `make bench` (generated when
missing), with nothing else: no staging tables, no history, no index, no
golden record. Reading and validating spread over the machine's cores (each
district is its own process); matching is timed as it runs, DuckDB using
both cores. The sum is a floor for the whole night: `make bench` measures
what the night really costs. Identity runs in memory in one batch (about
2.6 GiB per million nodes), so keep --persons to a few million; ratios only
grow with the province (docs/scaling.md). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

import psycopg2

from bench_load import NIGHTS, raw_copy_seconds

TARGET = 12  # the first-night ratio to raw COPY


def read_and_validate(files: list[Path], night: dt.date) -> tuple[float, float, int]:
    """Process seconds to read every row of the files, and to validate them."""
    from pipelines import ingest
    from pipelines.validate import validate_chunk

    read = validate = 0.0
    rows = 0
    for path in files:
        export = ingest.inspect(path, path.stem, night)
        clock = time.process_time()
        for chunk in ingest.read_chunks(export):
            now = time.process_time()
            read += now - clock
            validate_chunk(chunk.frame, path.stem, night)
            clock = time.process_time()
            validate += clock - now
            rows += len(chunk.frame)
    return read, validate, rows


def match_seconds(landing: Path, night: dt.date) -> tuple[float, int]:
    """Wall seconds to give every record of the night its person, in memory."""
    from identity_eval import read_sample_night, resolve_frame

    records = read_sample_night(landing, night)
    started = time.perf_counter()
    resolve_frame(records)
    return time.perf_counter() - started, len(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from pipelines.nightly import preload_staging
    from pipelines.warehouse.connection import ensure_database, server_url, with_database

    night = NIGHTS[0]
    landing = Path(".local") / f"bench_load_{args.persons}_{args.seed}"
    if not (landing / night.isoformat()).is_dir():
        from pipelines.sample import generate

        generate(landing, NIGHTS, persons=args.persons, seed=args.seed)
    files = sorted((landing / night.isoformat()).glob("*.csv"))
    server = server_url()
    database = f"dukcapil_floor_{uuid.uuid4().hex[:8]}"
    ensure_database(server, database)
    os.environ["WAREHOUSE_URL"] = url = with_database(server, database)
    try:
        baseline = raw_copy_seconds(url, files)
    finally:
        with contextlib.closing(psycopg2.connect(server)) as conn:
            conn.autocommit = True
            conn.cursor().execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    preload_staging()  # Great Expectations imported once, as a worker does
    read, validate, rows = read_and_validate(files, night)
    match, records = match_seconds(landing, night)
    cores = os.cpu_count() or 1
    parts = [("read every row", read / cores, f"{read:.1f} process s over {cores} cores"),
             ("validate every row (GX)", validate / cores, f"{validate:.1f} process s over {cores} cores"),
             ("match every node (Splink)", match, f"{records:,} records in one batch"),
             ("land the rows once (raw COPY)", baseline, f"{rows:,} rows")]
    print(f"first night of {args.persons:,} persons: the work it cannot skip, each part alone")
    print(f"{'part':<32}{'wall s':>9}{'x raw COPY':>12}  how")
    for name, seconds, how in parts:
        print(f"{name:<32}{seconds:>9.1f}{seconds / baseline:>12.1f}  {how}")
    floor = sum(seconds for _, seconds, _ in parts)
    print(f"{'floor of the night':<32}{floor:>9.1f}{floor / baseline:>12.1f}  target: {TARGET}x raw COPY "
          f"({TARGET * baseline:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
