"""Identity's candidate query (pipelines/identity/sql/candidates.sql) at province
size, without a province's first night: on a copy of a database kept by
`bench_load.py --keep` (its first night), the ordinary night's districts are
staged, its new nodes laid out as resolve_night does, and resolve.candidates()
timed for them against the kept node table, then against the same table grown
to about 13 times its size. The copies of the nodes are plausible non-matching
neighbours: fresh node and person ids, the NIK's province digits and the desa's
moved to another region, the birth date moved back by 397 days a copy (so no
rule pairs a copy with its original: not within a year, not the same day and
month), the NIK's birth part moved with it. Their names and addresses stay, so
blocks on a name and year, or a date, grow with the table as a province's do.

Each figure is taken twice per layout, on a cold cache: this database's files
are dropped from the OS page cache first (posix_fadvise, this database only;
PostgreSQL's 128 MB of shared buffers are not emptied). Layouts: the migrations
as applied to the kept database (main's, asked by main's candidates.sql) and
after `--layout` (a migration file, asked by this checkout's), which is applied
and reverted on the copy; the candidate sets of the two must be equal. Prints figures; asserts nothing; drops the copy unless --keep.

    uv run --frozen python bench/bench_candidates.py --from DATABASE --sample-dir DIR
        [--copies 12] [--layout pipelines/warehouse/migrations/240_....sql] [--before main]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2

NIGHT = dt.date(2026, 11, 26)


class _Captured(Exception):
    """Raised from the patched matcher once the batch's new nodes are in hand."""


def new_nodes(landing: Path):
    """Stage the ordinary night and return its new nodes' features, as the
    matcher would receive them (one batch), without matching them."""
    from pipelines.contract import DISTRICTS
    from pipelines.identity import resolve
    from pipelines.nightly import stage_district
    from pipelines.warehouse.connection import connect

    for district in sorted(DISTRICTS):
        stage_district(landing, NIGHT, district)
    captured = []

    def capture(cur, night, new, *rest):
        captured.append(new)
        raise _Captured

    matcher, resolve._match = resolve._match, capture
    try:
        with contextlib.suppress(_Captured), connect() as conn, conn.cursor() as cur:
            resolve.resolve_night(cur, NIGHT)
    finally:
        resolve._match = matcher
    return captured[0]


def evict(cur) -> None:
    """Drop this database's files from the OS page cache (cold reads, as at 12.9 M)."""
    cur.execute("SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database"
                " WHERE datname = current_database()")
    folder = Path(cur.fetchone()[0])
    cur.execute("CHECKPOINT")  # dirty pages are not dropped
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _plan_lines(node: dict, depth: int = 0) -> list[str]:
    """The plan's nodes that touched over 2 000 shared buffers, indented."""
    touched = node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)
    lines = []
    if touched > 2000:
        where = node.get("Index Name") or node.get("Relation Name") or ""
        lines.append(f"    {'  ' * depth}{node['Node Type']} {where}: rows {node.get('Actual Rows', 0):,.0f}"
                     f" x {node.get('Actual Loops', 1):,}, buffers {touched:,} ({node.get('Shared Read Blocks', 0):,}"
                     f" read), {node.get('Actual Total Time', 0) / 1000:.1f} s")
    for child in node.get("Plans", []):
        lines += _plan_lines(child, depth + 1)
    return lines


def measure(url: str, label: str, new, query: str) -> set[str]:
    """A cold EXPLAIN (ANALYZE, BUFFERS) of `query` for the `new` nodes' keys, then
    resolve.candidates() asking it, warm; returns the candidates' node ids."""
    from pipelines.identity import resolve
    from pipelines.sql import run_statements
    from pipelines.warehouse.connection import connect
    from pipelines.warehouse.copy import copy_frame

    read, resolve._sql = resolve._sql, lambda name: query if name == "candidates" else read(name)
    try:
        with connect(url) as conn, conn.cursor() as cur:
            run_statements(cur, "pipelines.identity", "night_nodes", {"night": NIGHT})
            cur.execute("CREATE INDEX ON night_node (node_id)")  # as resolve_night does
            cur.execute(read("new_key"))
            copy_frame(cur, "pg_temp.new_key", new, resolve.KEY_COLUMNS)
            cur.execute("ANALYZE new_key")
            evict(cur)
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query, {"night": NIGHT})
            plan = cur.fetchone()[0][0]
            started = time.perf_counter()
            known = resolve.candidates(cur, NIGHT, new)
            seconds = time.perf_counter() - started
            conn.rollback()
    finally:
        resolve._sql = read
    top = plan["Plan"]
    print(f"{label}: {len(known):,} candidates for {len(new):,} new nodes: cold (explained)"
          f" {plan['Execution Time'] / 1000:.1f} s, warm {seconds:.1f} s; cold buffers {top.get('Shared Hit Blocks', 0):,} hit"
          f" + {top.get('Shared Read Blocks', 0):,} read", flush=True)
    print("\n".join(_plan_lines(top)), flush=True)
    return set(known["unique_id"])


def indexes(cur) -> dict[str, str]:
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'warehouse'"
                " AND tablename = 'identity_node'")
    return dict(cur.fetchall())


def sizes(cur, label: str) -> None:
    cur.execute("""SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE i.indrelid = 'warehouse.identity_node'::regclass ORDER BY 1""")
    rows = cur.fetchall()
    cur.execute("SELECT pg_relation_size('warehouse.identity_node'), count(*) FROM warehouse.identity_node")
    heap, count = cur.fetchone()
    print(f"{label}: {count:,} nodes, heap {heap / 2**20:,.0f} MiB, indexes {sum(s for _, s in rows) / 2**20:,.0f} MiB: "
          + ", ".join(f"{name} {size / 2**20:,.0f}" for name, size in rows), flush=True)


def apply(url: str, statements: str, label: str) -> None:
    """Statements one by one outside a transaction, each timed."""
    with contextlib.closing(psycopg2.connect(url)) as conn:
        conn.autocommit = True
        cur = conn.cursor()
        started = time.perf_counter()
        for statement in filter(str.strip, statements.split(";\n")):
            began = time.perf_counter()
            cur.execute(statement)
            if time.perf_counter() - began > 1:
                print(f"    {time.perf_counter() - began:.1f} s: {' '.join(statement.split())[-90:]}")
        cur.execute("VACUUM ANALYZE warehouse.identity_node")
        print(f"{label} in {time.perf_counter() - started:.1f} s (with VACUUM ANALYZE)", flush=True)


def inflate(url: str, copies: int) -> None:
    """`copies` more of every node, as non-matching neighbours (module docstring),
    with the secondary indexes dropped during the fill and built again, each timed."""
    with contextlib.closing(psycopg2.connect(url)) as conn:
        conn.autocommit = True
        cur = conn.cursor()
        kept = {name: definition for name, definition in indexes(cur).items() if name != "identity_node_pkey"}
        for name in kept:
            cur.execute(f"DROP INDEX warehouse.{name}")
        cur.execute("ALTER TABLE warehouse.identity_node DROP CONSTRAINT identity_node_pkey")
        started = time.perf_counter()
        cur.execute("""
            INSERT INTO warehouse.identity_node
            SELECT md5(n.node_id || c), 'C' || c || n.person_id, overlay(n.nik placing lpad((36 + 3 * c)::text, 2, '0')
                   from 1), n.no_kk, n.name_key, n.name_skel, n.first_skel, n.initials, n.sex, d.dob,
                   extract(year FROM d.dob)::int, n.place_key, n.mother_key, n.mother_skel, n.father_key,
                   n.nik_region, CASE WHEN d.dob IS NULL OR n.nik_birth !~ '^[0-9]{6}$' THEN n.nik_birth || c
                       ELSE lpad((extract(day FROM d.dob)::int + CASE WHEN left(n.nik_birth, 2)::int > 40
                                  THEN 40 ELSE 0 END)::text, 2, '0') || to_char(d.dob, 'MMYY') END,
                   n.nik_sex, n.nik_serial, n.first_night, n.address_key,
                   overlay(n.desa placing lpad((36 + 3 * c)::text, 2, '0') from 1)
            FROM warehouse.identity_node n CROSS JOIN generate_series(1, %s) c,
                 LATERAL (SELECT n.dob - 397 * c AS dob) d""", (copies,))
        print(f"inflated by {copies} copies in {time.perf_counter() - started:.1f} s", flush=True)
        for name, definition in [("identity_node_pkey", "ALTER TABLE warehouse.identity_node"
                                                        " ADD PRIMARY KEY (node_id)")] + sorted(kept.items()):
            started = time.perf_counter()
            cur.execute(definition)
            print(f"    built {name} in {time.perf_counter() - started:.1f} s", flush=True)
        cur.execute("VACUUM ANALYZE warehouse.identity_node")


def compare(url: str, new, layout: str, before_query: str, label: str, restore: bool) -> None:
    """The candidate query of `before_query` on main's layout, then this checkout's
    on `layout`'s, then (`restore`) main's layout back."""
    from pipelines.identity import resolve

    with contextlib.closing(psycopg2.connect(url)) as conn:
        sizes(conn.cursor(), f"{label} main's layout")
        main = indexes(conn.cursor())
    before = measure(url, f"{label} main's layout", new, before_query)
    if not layout:
        return
    apply(url, Path(layout).read_text(), f"{label}: applied {Path(layout).name}")
    with contextlib.closing(psycopg2.connect(url)) as conn:
        sizes(conn.cursor(), f"{label} new layout")
        ours = indexes(conn.cursor())
    after = measure(url, f"{label} new layout", new, resolve._sql("candidates"))
    print(f"{label}: same candidates: {before == after}"
          + ("" if before == after else f" (only main's {len(before - after):,}, only new {len(after - before):,})"))
    if not restore:
        return
    apply(url, ";\n".join([f"DROP INDEX warehouse.{name}" for name, definition in ours.items()
                           if definition not in main.values()]
                          + [definition for definition in main.values() if definition not in ours.values()]),
          f"{label}: main's layout restored")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", required=True, help="a database kept by bench_load.py --keep")
    parser.add_argument("--sample-dir", type=Path, required=True, help="its two-night sample")
    parser.add_argument("--copies", type=int, default=12)
    parser.add_argument("--layout", default="", help="a migration file: the layout to compare with main's")
    parser.add_argument("--before", default="main",
                        help="the git revision whose sql/candidates.sql runs on main's layout")
    parser.add_argument("--keep", action="store_true", help="keep the copy (its name is printed)")
    args = parser.parse_args()
    before_query = subprocess.run(["git", "show", f"{args.before}:pipelines/identity/sql/candidates.sql"],
                                  check=True, capture_output=True, text=True).stdout

    from pipelines.warehouse.connection import server_url, with_database

    server = server_url()
    database = f"bench_candidates_{uuid.uuid4().hex[:8]}"
    with contextlib.closing(psycopg2.connect(server)) as conn:
        conn.autocommit = True
        conn.cursor().execute(f'CREATE DATABASE "{database}" TEMPLATE "{args.source}"')
    os.environ["WAREHOUSE_URL"] = url = with_database(server, database)
    try:
        new = new_nodes(args.sample_dir)
        compare(url, new, args.layout, before_query, "1x", restore=True)
        inflate(url, args.copies)
        compare(url, new, args.layout, before_query, f"{args.copies + 1}x", restore=args.keep)
    finally:
        if args.keep:
            print(f"kept database {database}")
        else:
            with contextlib.closing(psycopg2.connect(server)) as conn:
                conn.autocommit = True
                conn.cursor().execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
