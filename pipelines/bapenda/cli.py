"""`dukcapil bapenda-match --input FILE --output FILE`."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

DESCRIPTION = (
    "Matches a Bapenda PKB arrears register (CSV, docs/contract/bapenda-arrears.md) against the single "
    "identity and writes one result row per input row, in input order, with only the fields the agreement "
    "allows. Also writes OUTPUT.summary.html and OUTPUT.summary.csv (rupiah per current kab/kota, owed by "
    "the deceased, unmatched) and records the run in bapenda.match_run. Exit 2 on a bad register file.")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def cmd_bapenda_match(args: argparse.Namespace) -> int:
    from pipelines.bapenda import RegisterError, match_file

    print(f"Matching {args.input} against the single identity...", flush=True)
    try:
        run = match_file(args.input, args.output, as_of=args.as_of)
    except RegisterError as error:
        print(f"error: {error}")
        return 2
    print(f"Run {run.run_id}: {run.rows} rows; " + ", ".join(f"{k} {v}" for k, v in run.counts.items()))
    print(f"Result: {run.output}\nSummary: {run.summary_html}\nSummary (CSV): {run.summary_csv}")
    return 0


def add_bapenda_commands(subparsers, warehouse_help: str = "") -> None:
    parser = subparsers.add_parser("bapenda-match", help="match a vehicle-tax arrears register (Bapenda)",
                                   description=f"{DESCRIPTION} {warehouse_help}".strip())
    parser.add_argument("--input", type=Path, required=True, help="the arrears register CSV")
    parser.add_argument("--output", type=Path, required=True, help="where to write the result CSV")
    parser.add_argument("--as-of", type=_date, default=None,
                        help="run date YYYY-MM-DD deciding who is a minor (default: today)")
    parser.set_defaults(func=cmd_bapenda_match)
