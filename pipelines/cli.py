"""The `dukcapil` command: thin wrappers over the pipeline's functions.

Every command works against WAREHOUSE_URL (a libpq URL). When it is unset, a
PostgreSQL on 127.0.0.1:5432 is used (database `dukcapil`, created if missing),
else a private cluster under .local/pg is started from initdb/pg_ctl on PATH.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import logging
import os
import sys
from pathlib import Path

WAREHOUSE_HELP = (
    "The warehouse is WAREHOUSE_URL (postgresql://user@host:port/db); when unset, a PostgreSQL on "
    "127.0.0.1:5432 (database 'dukcapil', created if missing), else a private cluster under .local/pg."
)


def _night(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _nights(text: str) -> list[dt.date]:
    return [_night(part) for part in text.split(",") if part]


def cmd_sample(args: argparse.Namespace) -> int:
    from pipelines.reports.fmt import number
    from pipelines.sample import generate

    summary = generate(args.out, args.nights, persons=args.persons, seed=args.seed)
    rows = sum(sum(per_district.values()) for per_district in summary.rows.values())
    print(f"Sampel: {number(summary.persons)} penduduk, {len(summary.nights)} malam, {number(rows)} baris ekspor "
          f"di {summary.out_dir}/<malam>/ (kebenaran di {summary.truth_dir})")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.console import run_for_operator

    return run_for_operator(args.landing, args.night)


def cmd_migrate(args: argparse.Namespace) -> int:
    from pipelines.warehouse import migrate, warehouse_url
    from pipelines.warehouse.connection import owner_url
    from pipelines.warehouse.schema import ensure_nightly_login

    applied = migrate(owner_url())
    print(f"Applied {len(applied)} migration(s){': ' + ', '.join(applied) if applied else ''}.")
    login = ensure_nightly_login(owner_url(), warehouse_url())
    if login:
        print(f"Nightly login {login}: a member of etl_writer.")
    return 0


def cmd_lease(args: argparse.Namespace) -> int:
    from pipelines import lease

    if args.action == "release":
        if args.night is None:
            raise SystemExit("dukcapil lease release: --night YYYY-MM-DD is required")
        try:
            freed = lease.release_night(args.night, args.force)
        except lease.NightBusy as busy:
            print(busy, file=sys.stderr)
            return 1
        print(f"Night {args.night}: lease of run {freed} released." if freed else f"Night {args.night}: no lease held.")
        return 0
    leases = lease.status()
    if not leases:
        print("No night is leased.")
    for row in leases:
        state = "live" if row["live"] else "stale (its run died; the next run takes it over)"
        print(f"{row['night']}  run {row['run_id']}  since {row['acquired_at']:%Y-%m-%d %H:%M:%S %Z}  "
              f"heartbeat {row['heartbeat_age_s']} s ago: {state}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dukcapil", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", required=True)

    sample = commands.add_parser("sample", help="write realistic district exports and their truth",
                                 description="Writes DIR/<night>/<KODE_KAB>.csv for the 8 districts plus DIR/truth/.")
    sample.add_argument("--out", type=Path, required=True, help="output folder (a landing folder for `run`)")
    sample.add_argument("--nights", type=_nights, required=True, help="D1[,D2...] as YYYY-MM-DD")
    sample.add_argument("--persons", type=int, default=100_000, help="persons on the first night (default 100000)")
    sample.add_argument("--seed", type=int, default=1, help="same seed, same files (default 1)")
    sample.set_defaults(func=cmd_sample)

    run = commands.add_parser("run", help="run the nightly DAG for one night through Airflow",
                              description="Runs dukcapil_nightly with dag.test() over DIR/<night>/*: one line per "
                                          "district as it finishes, then this run's outcome per district; the full "
                                          "log goes to a file whose path is printed. Exit codes: 0 every district "
                                          "loaded (or unchanged since it was), 3 some districts rejected or their "
                                          "file missing (the others published), 4 none loaded, 1 the run failed "
                                          "(see the log), 2 bad arguments or no such landing/night folder. "
                                          + WAREHOUSE_HELP)
    run.add_argument("--landing", type=Path, required=True, help="landing folder holding <night>/<KODE_KAB>.csv")
    run.add_argument("--night", type=_night, required=True, help="export night, YYYY-MM-DD")
    run.set_defaults(func=cmd_run)

    migrate = commands.add_parser("migrate", help="apply pending schema migrations as the tables' owner",
                                  description="Applies pipelines/warehouse/migrations/*.sql not yet applied, with the "
                                              "owner's login WAREHOUSE_OWNER_URL (else WAREHOUSE_URL); when "
                                              "WAREHOUSE_URL names another login, makes it a member of etl_writer "
                                              "with that URL's password. " + WAREHOUSE_HELP)
    migrate.set_defaults(func=cmd_migrate)

    lease = commands.add_parser("lease", help="show or free the one-run-per-night leases",
                                description="status: every leased night, its run and heartbeat. release: free a "
                                            "night whose run died (a stale lease is also taken over by the next "
                                            "run by itself); --force frees a live one.")
    lease.add_argument("action", choices=["status", "release"])
    lease.add_argument("--night", type=_night, help="the night, YYYY-MM-DD (release needs it)")
    lease.add_argument("--force", action="store_true", help="release even a lease that still heartbeats")
    lease.set_defaults(func=cmd_lease)

    from pipelines.bapenda.cli import add_bapenda_commands
    from pipelines.identity.cli import add_identity_commands
    from pipelines.reports.cli import add_report_commands

    add_report_commands(commands, _night, WAREHOUSE_HELP)
    add_identity_commands(commands)
    add_bapenda_commands(commands, WAREHOUSE_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    import psycopg2

    from pipelines.console import unreachable
    from pipelines.warehouse.connection import WarehouseUnavailable

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except (psycopg2.OperationalError, WarehouseUnavailable) as error:
        # An unreachable server is an operator's matter, not a bug: one line, no traceback.
        print(unreachable(error), file=sys.stderr)
        return 1


def entry() -> None:
    """The `dukcapil` command: main(), then out of the process without tearing the
    interpreter down. Freeing every module and object a run of Airflow, Great
    Expectations and Splink leaves takes 7 s of the command's wall time and
    does nothing for it; the exit handlers (log files, Airflow's metadata DB)
    still run, as in a normal exit."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    entry()
