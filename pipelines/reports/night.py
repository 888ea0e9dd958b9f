"""The managers' nightly report: validation outcome per district, night over
night, and e-KTP coverage. One HTML file with inline CSS and SVG, no script:
it opens offline, and everything from the data is escaped by Jinja."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from pipelines.contract import COLUMN_LABELS, DISTRICTS
from pipelines.marts import read
from pipelines.marts.night_over_night import RECORDED_SWING, ROWS_SWING, night_over_night
from pipelines.reports import charts, fmt
from pipelines.reports.coverage import TREND_NIGHTS, coverage_section
from pipelines.reports.masking import mask_text
from pipelines.warehouse import connect

# "Tidak diterima": no file came; "Ditolak": a file came and was refused.
STATUS_LABEL = {"loaded": "Dimuat", "unchanged": "Tidak berubah", "rejected": "Ditolak",
                "missing": "Tidak diterima", None: "Belum ada"}
# Rules of reading a file (pipelines/ingest.py), which have no validation rule of their own.
READING_RULES = {"nul_byte": "Baris memuat karakter NUL (berkas rusak)",
                 "unbalanced_quote": "Tanda kutip tidak berpasangan",
                 "malformed_csv": "Format CSV rusak",
                 "repeated_header": "Baris judul berulang di tengah berkas",
                 "field_count": "Jumlah kolom baris tidak sama dengan judul"}
_COLUMN = re.compile(r"\b(" + "|".join(sorted(COLUMN_LABELS, key=len, reverse=True)) + r")\b")
SEVERITY_LABEL = {"quarantine": "Baris dikarantina", "warn": "Peringatan (baris tetap dimuat)",
                  "reject_file": "Berkas ditolak"}
TOP_RULES = 10
DATA_DOCS = Path("data_docs") / "index.html"


def _environment() -> Environment:
    # Autoescape everything: names, reasons and file names may hold HTML or formulas.
    env = Environment(loader=PackageLoader("pipelines.reports"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=fmt.number, percent=fmt.percent, signed_percent=fmt.signed_percent,
                       masked=mask_text, plain=plain_columns)
    return env


def plain_columns(text: str) -> Markup:
    """Text with each SIAK column name said in Bahasa, the name kept small beside it:
    "berbeda dengan TGL_LHR" -> "berbeda dengan tanggal lahir <code>TGL_LHR</code>"."""
    def say(match: re.Match) -> str:
        label = COLUMN_LABELS[match[1]]
        return match[1] if label == match[1] else f'{label} <code>{match[1]}</code>'

    return Markup(_COLUMN.sub(say, str(escape(text))))


def district_status(file: dict | None) -> str | None:
    """audit.file_load's status, with a file that never came told apart from one refused."""
    if file and file["status"] == "rejected" and not file["file_name"]:
        return "missing"
    return file["status"] if file else None


def _reason(file: dict | None) -> str:
    """Why a district stands where it does, in plain Bahasa Indonesia."""
    if file is None:
        return "Belum ada berkas ekspor yang tercatat untuk malam ini."
    if district_status(file) == "missing":
        return "Berkas ekspor malam ini tidak diterima; tidak ada data kab/kota ini untuk malam ini."
    if file["status"] == "rejected":
        return "Berkas ditolak: " + (file["reason"] or "alasan tidak tercatat.")
    if file["status"] == "unchanged":
        return "Berkas sama persis dengan yang sudah dimuat (sidik jari sama); data tidak berubah."
    text = "Dimuat; semua baris lolos validasi." if not file["rows_quarantined"] else (
        f"Dimuat; {fmt.number(file['rows_quarantined'])} baris "
        f"({fmt.percent(fmt.share(file['rows_quarantined'], file['rows_read']), 2)}) dikarantina "
        "karena tidak lolos validasi.")
    if file["warnings"]:
        text += f" {fmt.number(file['warnings'])} peringatan pada baris yang tetap dimuat."
    return text


def _rule_label(rule: str) -> str:
    from pipelines.validate.rules import RULES  # the people-facing sentence of each rule

    known = RULES.get(rule)
    return known.description_id if known else READING_RULES.get(rule, rule)


def _validation_section(cur, night: dt.date) -> dict:
    files = {row["district_code"]: row for row in read(cur, "file_load", night=night)}
    districts = [{"code": code, "name": district.name, "file": files.get(code) or {},
                  "status": STATUS_LABEL[district_status(files.get(code))], "reason": _reason(files.get(code))}
                 for code, district in DISTRICTS.items()]
    rules = [{**row, "label": _rule_label(row["rule"]),
              "severity_label": SEVERITY_LABEL.get(row["severity"], row["severity"]),
              "worst_district_name": DISTRICTS[row["worst_district"]].name}
             for row in read(cur, "rule_top", night=night, limit=TOP_RULES)]
    loads = read(cur, "load_trend", night=night, nights=TREND_NIGHTS)
    return {
        "districts": districts,
        "rows_read": sum(d["file"].get("rows_read") or 0 for d in districts),
        "rows_loaded": sum(d["file"].get("rows_loaded") or 0 for d in districts),
        "rows_quarantined": sum(d["file"].get("rows_quarantined") or 0 for d in districts),
        "rejected": [d for d in districts if d["status"] in ("Ditolak", "Tidak diterima", "Belum ada")],
        "rules": rules,
        "loads": loads,
        "load_chart": charts.load_bars(
            [(row["export_date"].isoformat(), row["rows_loaded"], row["rows_quarantined"]) for row in loads],
            f"Baris dimuat dan dikarantina, {len(loads)} malam terakhir"),
    }


def night_recorded(night: dt.date) -> bool:
    """Whether any district file of the night was ever recorded (loaded or not)."""
    with connect() as conn, conn.cursor() as cur:
        return bool(read(cur, "file_load", night=night))


def _link_data_docs(districts: list[dict], out_dir: Path, night: dt.date) -> None:
    """Each district's row links its own Data Docs page: plain HTML that renders
    offline, where the site's index draws its list with scripts from CDNs."""
    for district in districts:
        pages = sorted((out_dir / DATA_DOCS.parent).glob(
            f"validations/*/{night.isoformat()}-{district['code']}/*/{district['code']}.html"))
        district["data_docs"] = pages[0].relative_to(out_dir).as_posix() if pages else None


def write_report(night: dt.date, out_dir: Path) -> Path:
    """Write `out_dir/index.html` for the night; links Data Docs when
    `out_dir/data_docs/index.html` is there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with connect() as conn, conn.cursor() as cur:
        validation = _validation_section(cur, night)
        changes = night_over_night(cur, night)
        coverage = coverage_section(cur, night)
    _link_data_docs(validation["districts"], out_dir, night)
    html = _environment().get_template("night.html.j2").render(
        night=night, validation=validation, changes=changes, coverage=coverage,
        swing={"rows": ROWS_SWING, "recorded": RECORDED_SWING},
        data_docs=DATA_DOCS.as_posix() if (out_dir / DATA_DOCS).is_file() else None)
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
