"""The first night's identity on Spark beside DuckDB: `make bench-spark`.

For each sample size, the same generated night (`dukcapil sample`, seed 2,
kept under .local/) is resolved in memory as a first night (features, scoring,
clustering: identity_eval.resolve_frame) on DuckDB and then on Spark
(DUKCAPIL_SPARK_MASTER, default local[2]); prints the wall time of each, the
Spark session's start-up apart, and whether the two partitions of records into
persons are identical. Speed on 2 cores is not Spark's point; equality is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

from identity_eval import read_sample_night, resolve_frame, score

from pipelines.identity import spark
from pipelines.sample import generate

NIGHT = dt.date(2026, 11, 26)


def _persons(person_of: dict[str, str]) -> set[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for record, person in person_of.items():
        members.setdefault(person, set()).add(record)
    return {frozenset(m) for m in members.values()}


def bench(persons: int, seed: int) -> None:
    out = Path(".local") / f"bench_identity_{persons}_{seed}"
    if not (out / "truth").exists():
        generate(out, [NIGHT], persons=persons, seed=seed)
    records = read_sample_night(out, NIGHT)
    found = {}
    for engine in spark.ENGINES:
        os.environ["DUKCAPIL_IDENTITY_ENGINE"] = engine
        start = time.perf_counter()
        found[engine] = resolve_frame(records).person_of
        took = time.perf_counter() - start
        s = score(records, found[engine])
        print(f"{persons:>10,} persons, {len(records):,} records, {engine:<6}: {took:7.1f} s"
              f" ({took / len(records) * 1e6:.1f} s per million)  precision {s.precision:.4f}  recall {s.recall:.4f}",
              flush=True)
    same = _persons(found["spark"]) == _persons(found["duckdb"])
    print(f"{'':>10}  same persons on both engines: {'yes' if same else 'NO'}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    spark.session()
    print(f"Spark session ({os.environ.get('DUKCAPIL_SPARK_MASTER', 'local[2]')}) started in "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    for persons in args.persons:
        bench(persons, args.seed)
    spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
