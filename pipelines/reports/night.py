"""The nightly report: validation outcome per district and e-KTP coverage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from pipelines.contract import DISTRICTS
from pipelines.warehouse import connect

STATUS_LABEL = {"loaded": "Dimuat", "unchanged": "Tidak berubah", "rejected": "Ditolak", None: "Belum ada"}


def _environment() -> Environment:
    # Autoescape everything: names in the data may hold HTML or formulas.
    return Environment(loader=PackageLoader("pipelines.reports"), autoescape=select_autoescape(default=True))


def _rows(cur, statement: str, params: dict) -> list[dict]:
    cur.execute(statement, params)
    names = [column.name for column in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def write_report(night: dt.date, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    with connect() as conn, conn.cursor() as cur:
        files = _rows(cur, "SELECT * FROM audit.file_load WHERE export_date = %(night)s", {"night": night})
        coverage = _rows(cur, """SELECT district_code, sum(wajib_ktp) AS wajib_ktp, sum(recorded) AS recorded
                                 FROM mart.ektp_coverage WHERE export_date = %(night)s GROUP BY district_code""",
                         {"night": night})
    by_district = {row["district_code"]: row for row in files}
    cover = {row["district_code"]: row for row in coverage}
    districts = [
        {"code": code, "name": district.name, "file": by_district.get(code, {}),
         "status": STATUS_LABEL[by_district.get(code, {}).get("status")], "coverage": cover.get(code)}
        for code, district in DISTRICTS.items()
    ]
    html = _environment().get_template("night.html.j2").render(night=night, districts=districts)
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
