"""The summary for Bapenda managers: where the arrears now live, how much the
deceased owe, how much is unmatched. The same figures as one self-contained
HTML page (inline CSS and SVG, Jinja autoescape, Bahasa Indonesia) and as CSV,
next to the result file. Counts and rupiah only: no row, no name."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from pipelines.contract import DISTRICTS
from pipelines.reports import charts, fmt

GROUP_LABEL = {"status": "Status pencocokan", "kab_kota": "Domisili sekarang (cocok dan kemungkinan cocok)",
               "meninggal": "Pemilik meninggal dunia", "pindah": "Pindah kab/kota sejak pendaftaran"}
STATUS_LABEL = {"MATCHED": "Cocok", "PROBABLE": "Kemungkinan cocok", "NO_MATCH": "Tidak ditemukan",
                "NOT_A_PERSON": "Badan (bukan orang)"}
CSV_COLUMNS = ["kelompok", "kode", "keterangan", "kendaraan", "tunggakan_rp"]


def figures(register: pd.DataFrame, result: pd.DataFrame) -> list[dict]:
    """Rows of (group, code, label, vehicles, rupiah): the CSV and the page both show these."""
    frame = result[["STATUS", "KODE_KAB", "STATUS_HIDUP", "PINDAH"]].assign(
        rp=register["TUNGGAKAN_RP"].astype("int64").to_numpy())
    found = frame[frame["STATUS"].isin(["MATCHED", "PROBABLE"])]

    def row(group: str, code: str, label: str, part: pd.DataFrame) -> dict:
        return {"kelompok": group, "kode": code, "keterangan": label, "kendaraan": len(part),
                "tunggakan_rp": int(part["rp"].sum())}

    rows = [row("total", "", "Seluruh tunggakan", frame)]
    rows += [row("status", s, label, frame[frame["STATUS"] == s]) for s, label in STATUS_LABEL.items()]
    rows += [row("kab_kota", code, d.name, found[found["KODE_KAB"] == code]) for code, d in DISTRICTS.items()]
    rows.append(row("meninggal", "MENINGGAL", "Pemilik sudah meninggal", found[found["STATUS_HIDUP"] == "MENINGGAL"]))
    rows.append(row("pindah", "Y", "Domisili sekarang di kab/kota lain", found[found["PINDAH"] == "Y"]))
    return rows


def _environment() -> Environment:
    # Autoescape everything: file names and labels come from outside.
    env = Environment(loader=PackageLoader("pipelines.bapenda"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=fmt.number, percent=fmt.percent)
    return env


def write_summary(rows: list[dict], output: Path, run_id: str, as_of: dt.date,
                  identity_night: dt.date | None) -> tuple[Path, Path]:
    """`<output>.summary.html` and `<output>.summary.csv`; returns both paths."""
    html_path, csv_path = Path(f"{output}.summary.html"), Path(f"{output}.summary.csv")
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    total = rows[0]["tunggakan_rp"]
    for r in rows:
        r["share"] = fmt.share(r["tunggakan_rp"], total)
    groups = {g: [r for r in rows if r["kelompok"] == g] for g in GROUP_LABEL}
    chart = charts.share_bars([(r["keterangan"], r["share"] or 0.0) for r in groups["kab_kota"]],
                              "Bagian tunggakan menurut domisili pemilik sekarang")
    page = _environment().get_template("summary.html.j2").render(
        total=rows[0], groups=groups, group_label=GROUP_LABEL, chart=chart, run_id=run_id, as_of=as_of,
        identity_night=identity_night, output_name=Path(output).name)
    html_path.write_text(page, encoding="utf-8")
    return html_path, csv_path
