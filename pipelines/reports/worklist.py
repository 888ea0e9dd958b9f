"""The field teams' worklist: wajib-KTP residents not yet recorded, per
kecamatan, in walking order (desa, RW, RT, address), as CSV and XLSX.

It reads only `fieldwork.ektp_worklist` (NIK already masked but for its last 4
digits) under the `field_officer` role, so the command cannot see more than a
field officer may, whoever runs it. Every text cell is neutralised against
spreadsheet formula injection.
"""

from __future__ import annotations

import csv
import os
import datetime as dt
import re
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

import psycopg2.errors
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pipelines.contract import EKTP_STATUS, desa_codes, kecamatan_codes
from pipelines.marts import read
from pipelines.reports.masking import neutralise_formula
from pipelines.warehouse import connect

ROLE = "field_officer"
HEADER = ("Kecamatan", "Kode desa/kelurahan", "Desa/Kelurahan", "RW", "RT", "Alamat", "Nama lengkap", "Umur",
          "NIK (tersamar)", "Status KTP-el")
WIDTHS = (18, 14, 22, 6, 6, 36, 32, 6, 18, 16)


class NotFieldOfficer(PermissionError):
    """The login may not act as field_officer."""


def fetch_worklist(cur, night: dt.date, district: str) -> list[tuple]:
    """The worklist rows of a district (HEADER order), under the field_officer role."""
    try:
        cur.execute(f"SET LOCAL ROLE {ROLE}")
    except psycopg2.errors.InsufficientPrivilege:
        raise NotFieldOfficer(f"This login is not a member of role {ROLE}: "
                              f"GRANT {ROLE} TO <login>, or run as a field officer's login.") from None
    rows = read(cur, "worklist", night=night, district=district)
    return [(kecamatan_codes(district).get(r["kecamatan_code"], r["kecamatan_code"]), r["desa_code"],
             desa_codes(r["kecamatan_code"]).get(r["desa_code"], r["desa_code"]), r["no_rw"], r["no_rt"],
             r["alamat"], r["nama_lgkp"], r["umur"], r["nik_masked"],
             EKTP_STATUS.get(r["ektp_current_status_code"], r["ektp_current_status_code"]))
            for r in rows]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _private(path: Path) -> Path:
    """`path` created (or emptied) readable by its owner only, before anything is
    written to it: a worklist holds names and addresses (UU PDP 27/2022)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT
    return path


def _write_csv(path: Path, rows: list[tuple]) -> None:
    # utf-8-sig: Excel only reads a CSV as UTF-8 when it starts with a BOM.
    with _private(path).open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows([neutralise_formula(cell) for cell in row] for row in rows)


def _write_xlsx(path: Path, rows: list[tuple], title: str) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "", title)[:31])  # Excel's rules for sheet names
    for letter, width in zip("ABCDEFGHIJ", WIDTHS):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADER:
        cell = _text_cell(sheet, text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) if isinstance(value, str) else value for value in row])
    book.save(_private(path))


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise_formula(value))
    # openpyxl stores any text starting with "=" as a formula; neutralised text
    # never does, and the type is pinned anyway.
    cell.data_type = "s"
    return cell


def write_worklist(night: dt.date, district: str, out: Path,
                   progress: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write `<out>_<kecamatan code>_<name>.csv` and `.xlsx` for every kecamatan
    of the district with residents still to record; return the paths written."""
    with connect() as conn, conn.cursor() as cur:
        rows = fetch_worklist(cur, night, district)
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.with_suffix("") if out.suffix in (".csv", ".xlsx") else out
    written = []
    for code, group in groupby(rows, key=lambda row: row[1][:6]):  # desa code -> its kecamatan
        members = list(group)
        kecamatan = members[0][0]
        csv_path, xlsx_path = (stem.parent / f"{stem.name}_{code}_{_slug(kecamatan)}{suffix}"
                               for suffix in (".csv", ".xlsx"))
        _write_csv(csv_path, members)
        _write_xlsx(xlsx_path, members, f"{code} {kecamatan}")
        written += [csv_path, xlsx_path]
        progress(f"Kecamatan {kecamatan} ({code}): {len(members)} penduduk belum rekam")
    return written
