"""Bapenda matching accuracy and speed: `python bench/bench_bapenda.py`.

1. A sample of PERSONS (default 100 k) generated and loaded through the night's
   step functions (stage, identity, publish) into a database of its own; its
   arrears register matched and measured against the truth (precision of
   MATCHED, recall of owners in the register).
2. Speed at province scale without a 15-minute 1 M identity load: the
   warehouse is grown to --target persons (default 1 M) by cloning persons and
   identity nodes (same names, birth dates shifted, fresh ids and NIK serials:
   each name then has ten holders, a harder blocking load than a real
   province), and a register of --rows rows (default 10 k: the sample's
   register repeated) is matched and timed.
Prints figures only; the database is dropped at the end, unless --keep DIR
names a directory that holds (or will hold) the loaded sample and the
database's name: a second run with the same --keep skips the load, so a
change to the matcher is measured on the very same warehouse (the timing,
which grows the warehouse, is then skipped).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd
import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the independent register lives with the tests

from pipelines.warehouse.connection import ensure_database, server_url, with_database

NIGHT = dt.date(2026, 11, 26)
_CLONE = """
INSERT INTO warehouse.golden_record (person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup,
    ektp_status, district_code, kecamatan_code, desa_code, alamat, no_rt, no_rw, first_seen, as_of,
    source_export_date, source_district_code, source_row)
SELECT person_id || '-' || %(k)s, left(nik, 12) || lpad(((right(nik, 4)::int + 997 * %(k)s) %% 10000)::text, 4, '0'),
       nama_lgkp, tgl_lhr + 37 * %(k)s, jenis_klmin, tmpt_lhr, stat_kwn, stat_hidup, ektp_status, district_code,
       kecamatan_code, desa_code, alamat, no_rt, no_rw, first_seen, as_of, source_export_date,
       source_district_code, source_row
FROM warehouse.golden_record WHERE person_id NOT LIKE '%%-%%';
INSERT INTO warehouse.identity_node (node_id, person_id, nik, no_kk, name_key, name_skel, first_skel, initials, sex,
    dob, birth_year, place_key, mother_key, mother_skel, father_key, nik_region, nik_birth, nik_sex, nik_serial,
    first_night)
SELECT node_id || '-' || %(k)s, person_id || '-' || %(k)s,
       left(nik, 12) || lpad(((right(nik, 4)::int + 997 * %(k)s) %% 10000)::text, 4, '0'), no_kk, name_key,
       name_skel, first_skel, initials, sex, dob + 37 * %(k)s, extract(year FROM dob + 37 * %(k)s)::int, place_key,
       mother_key, mother_skel, father_key, nik_region, nik_birth, nik_sex, nik_serial, first_night
FROM warehouse.identity_node WHERE node_id NOT LIKE '%%-%%' AND nik ~ '^[0-9]{16}$';
"""


def _load(sample: Path, persons: int) -> float:
    from pipelines import nightly
    from pipelines.contract import DISTRICTS
    from pipelines.sample import generate

    generate(sample, [NIGHT], persons=persons, seed=11)
    clock = time.perf_counter()
    for district in DISTRICTS:
        nightly.stage_district(sample, NIGHT, district)
    nightly.resolve_identity(NIGHT)
    nightly.publish_night(NIGHT)
    return time.perf_counter() - clock


def _grow(target: int) -> int:
    from pipelines.warehouse import connect

    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM warehouse.person")
        base = cur.fetchone()[0]
        for k in range(1, max(1, round(target / base))):
            cur.execute(_CLONE, {"k": k})
        cur.execute("ANALYZE warehouse.golden_record; ANALYZE warehouse.identity_node")
        cur.execute("SELECT count(*) FROM warehouse.person")
        return cur.fetchone()[0]


def _independent(sample: Path, tmp: Path, rows: int) -> None:
    from pipelines.bapenda import match_file
    from bapenda_eval import true_person
    from pipelines.warehouse import connect
    from tests.integration.bapenda import arrears_variations as variations

    register, truth = tmp / "independent.csv", tmp / "independent_truth.csv"
    with connect() as conn, conn.cursor() as cur:
        variations.write(register, truth, variations.residents(cur, NIGHT), rows, seed=5)
    run = match_file(register, tmp / "out" / "independent.csv", as_of=NIGHT)
    with connect() as conn, conn.cursor() as cur:
        figures, rows_ = variations.measure(cur, run.run_id, truth, true_person(cur, sample, NIGHT))
    print(f"independent register, {run.rows:,} rows: {figures}  {run.counts}")
    owners = rows_[rows_["kind"] == "resident"]
    for field in ("nik", "name", "birth", "address", "area"):
        parts = []
        for value, group in owners.groupby(field):
            identified = group[group["identified"] == "Y"]
            matched = (identified["status"] == "MATCHED") & identified["right"]
            found = group["status"].isin(variations.FOUND) & group["right"]
            parts.append(f"{value} {matched.mean() if len(identified) else float('nan'):.2f}/{found.mean():.2f}"
                         f" (n={len(group)})")
        print(f"  recall MATCHED|identified / found, by {field}: " + "  ".join(parts))
    alone = owners[owners["identified"] == "N"]  # no NIK, no birth date: a name, an area, an address
    lost = alone[~(alone["status"].isin(variations.FOUND) & alone["right"])]
    tied, none = lost["tied"].eq(True), lost["rule"].eq("no_candidate")  # tied is NULL without a runner-up
    print(f"  owners named by a name alone: {len(alone)}, found {len(alone) - len(lost)}; not found: "
          f"tied with a namesake {int(tied.sum())}, no candidate {int(none.sum())}, other {int((~tied & ~none).sum())}")
    for (area, address), group in alone.groupby(["area", "address"]):
        found = group["status"].isin(variations.FOUND) & group["right"]
        print(f"    registered in {area} kab/kota, {address} address: {found.mean():.2f} (n={len(group)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000, help="persons of the generated sample")
    parser.add_argument("--target", type=int, default=1_000_000, help="persons in the warehouse for the timing")
    parser.add_argument("--rows", type=int, default=10_000, help="register rows for the timing")
    parser.add_argument("--independent-rows", type=int, default=2_000, help="rows of the independent register")
    parser.add_argument("--keep", type=Path, help="keep the loaded warehouse and sample here; reuse them if there")
    args = parser.parse_args()
    server = server_url()
    kept = args.keep / "database" if args.keep else None
    loaded = kept is not None and kept.exists()
    name = kept.read_text().strip() if loaded else f"dukcapil_bench_bapenda_{uuid.uuid4().hex[:8]}"
    ensure_database(server, name)
    os.environ["WAREHOUSE_URL"] = with_database(server, name)
    os.environ.setdefault("DUKCAPIL_SETTLE_SECONDS", "0")
    from pipelines.bapenda import match_file
    from bapenda_eval import measure
    from pipelines.warehouse import connect, migrate

    try:
        migrate()
        with tempfile.TemporaryDirectory() as tmp:
            sample, out = (args.keep or Path(tmp)) / "sample", Path(tmp) / "out"
            if loaded:
                print(f"reusing the warehouse and sample kept in {args.keep}")
            else:
                print(f"loading a {args.persons:,}-person sample through the night's steps ...", flush=True)
                print(f"  loaded in {_load(sample, args.persons):.1f} s")
                if kept is not None:
                    kept.write_text(name)
            clock = time.perf_counter()
            run = match_file(sample / "arrears_register.csv", out / "sample.csv", as_of=NIGHT)
            seconds = time.perf_counter() - clock
            with connect() as conn, conn.cursor() as cur:
                acc = measure(cur, run.run_id, sample, NIGHT)
            print(f"sample register, {run.rows:,} rows: {acc}  {run.counts}  {seconds:.1f} s")
            _independent(sample, args.keep or Path(tmp), args.independent_rows)
            if args.target <= 0 or kept is not None:  # growing would change the kept warehouse
                return
            persons = _grow(args.target)
            register = pd.read_csv(sample / "arrears_register.csv", dtype=str, keep_default_na=False)
            big = pd.concat([register] * -(-args.rows // len(register)), ignore_index=True).head(args.rows)
            big.to_csv(Path(tmp) / "big.csv", index=False)
            clock = time.perf_counter()
            run = match_file(Path(tmp) / "big.csv", out / "big.csv", as_of=NIGHT)
            seconds = time.perf_counter() - clock
            steps = "  ".join(f"{step} {value:.1f} s" for step, value in run.seconds.items())
            print(f"speed: {run.rows:,} rows against {persons:,} persons in {seconds:.1f} s "
                  f"({run.rows / seconds:,.0f} rows/s; {steps}; target <= 30 s)")
    finally:
        if kept is None or not kept.exists():
            with contextlib.closing(psycopg2.connect(server)) as conn:
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
