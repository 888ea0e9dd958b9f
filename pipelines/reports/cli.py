"""The report commands of `dukcapil`: `report` (managers) and `worklist` (field teams)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pipelines.contract import DISTRICTS


def cmd_report(args: argparse.Namespace) -> int:
    from pipelines.reports import write_report
    from pipelines.reports.night import night_recorded

    if not night_recorded(args.night):
        print(f"error: night {args.night} was never loaded (no district file recorded for it); no report written",
              file=sys.stderr)
        return 4
    print(write_report(args.night, args.out))
    return 0


def cmd_worklist(args: argparse.Namespace) -> int:
    from pipelines.reports.worklist import NotFieldOfficer, write_worklist

    try:
        written = write_worklist(args.night, args.district, args.out, progress=print)
    except NotFieldOfficer as refused:
        print(refused)
        return 2
    print(f"{len(written)} berkas ditulis" if written else "Tidak ada penduduk wajib KTP yang belum rekam.")
    for path in written:
        print(path)
    return 0


def add_report_commands(commands: argparse._SubParsersAction, night: Callable[[str], object],
                        warehouse_help: str = "") -> None:
    """Register `report` and `worklist`; `night` parses a YYYY-MM-DD argument."""
    report = commands.add_parser(
        "report", help="write the managers' HTML report for a night",
        description="Writes DIR/index.html: a self-contained report (no network needed to open it) with the "
                    "validation outcome per district, night-over-night swings and e-KTP coverage down to the "
                    "desa. Links DIR/data_docs/index.html when present. " + warehouse_help)
    report.add_argument("--night", type=night, required=True, help="export night, YYYY-MM-DD")
    report.add_argument("--out", type=Path, required=True, help="output folder")
    report.set_defaults(func=cmd_report)

    worklist = commands.add_parser(
        "worklist", help="write the field teams' list of residents still to record their e-KTP",
        description="Writes FILE_<kecamatan code>_<name>.csv and .xlsx for every kecamatan of the district: "
                    "wajib-KTP residents without a recorded e-KTP, in walking order, with name, address, RT/RW, "
                    "age and the NIK masked but for its last 4 digits. Reads through the field_officer role: "
                    "the login must be a member of it. " + warehouse_help)
    worklist.add_argument("--night", type=night, required=True, help="export night, YYYY-MM-DD")
    worklist.add_argument("--district", required=True, choices=sorted(DISTRICTS), help="kab/kota code")
    worklist.add_argument("--out", type=Path, required=True, metavar="FILE", help="output path prefix")
    worklist.set_defaults(func=cmd_worklist)
