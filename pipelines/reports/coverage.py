"""The coverage section of the managers' report: province → kab/kota →
kecamatan → desa, the desa to act on first, and the trend over nights."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipelines.contract import DISTRICTS, desa_codes, kecamatan_codes
from pipelines.marts import read
from pipelines.reports import charts
from pipelines.reports.fmt import share

TREND_NIGHTS = 30
RANKED_DESA = 10
# A desa with three wajib-KTP residents at 0% is noise in a "lowest coverage"
# list, not the place to send a team; it still shows in the drill-down.
MIN_WAJIB_TO_RANK = 10


@dataclass
class Area:
    """A province, kab/kota, kecamatan or desa with its counts and its parts."""

    code: str
    name: str
    wajib_ktp: int = 0
    recorded: int = 0
    parts: list[Area] = field(default_factory=list)
    path: str = ""  # "Kab. Lebak › Cibeber": where a desa is, for the ranked lists

    @property
    def to_record(self) -> int:
        return self.wajib_ktp - self.recorded

    @property
    def coverage(self) -> float | None:
        return share(self.recorded, self.wajib_ktp)

    def add(self, wajib_ktp: int, recorded: int) -> None:
        self.wajib_ktp += wajib_ktp
        self.recorded += recorded


def _tree(rows: list[dict]) -> tuple[Area, list[Area]]:
    """The province area with its districts, kecamatan and desa; and every desa."""
    province = Area("36", "Provinsi Banten")
    districts = {code: Area(code, d.name) for code, d in DISTRICTS.items()}
    kecamatan: dict[str, Area] = {}
    desa = []
    for row in rows:
        district = districts[row["district_code"]]
        kec_code = row["kecamatan_code"]
        if kec_code not in kecamatan:
            name = kecamatan_codes(district.code).get(kec_code, kec_code)
            kecamatan[kec_code] = Area(kec_code, name, path=district.name)
            district.parts.append(kecamatan[kec_code])
        kec = kecamatan[kec_code]
        village = Area(row["desa_code"], desa_codes(kec_code).get(row["desa_code"], row["desa_code"]),
                       row["wajib_ktp"], row["recorded"], path=f"{district.name} › {kec.name}")
        kec.parts.append(village)
        desa.append(village)
        for area in (kec, district, province):
            area.add(row["wajib_ktp"], row["recorded"])
    province.parts = [d for d in districts.values() if d.parts]
    return province, desa


def coverage_section(cur, night: dt.date) -> dict:
    """Everything the template's coverage section shows, charts included."""
    province, desa = _tree(read(cur, "coverage_desa", night=night))
    ranked = [d for d in desa if d.wajib_ktp >= MIN_WAJIB_TO_RANK]
    trend = read(cur, "coverage_trend", night=night, nights=TREND_NIGHTS)
    by_code = {d.code: d for d in province.parts}
    trend_points = [(row["export_date"].isoformat(), share(row["recorded"], row["wajib_ktp"])) for row in trend]
    return {
        "province": province,
        # Figures summed over the districts that have data tonight: said beside each.
        "districts_with_data": len(province.parts),
        "districts_without_data": [d.name for code, d in DISTRICTS.items()
                                   if code not in {p.code for p in province.parts}],
        "lowest": sorted(ranked, key=lambda d: (d.coverage, -d.to_record, d.code))[:RANKED_DESA],
        "largest_gap": sorted((d for d in desa if d.to_record), key=lambda d: (-d.to_record, d.code))[:RANKED_DESA],
        "min_wajib_to_rank": MIN_WAJIB_TO_RANK,
        "trend": trend,
        "district_chart": charts.share_bars(
            [(d.name, by_code[code].coverage if code in by_code else None) for code, d in DISTRICTS.items()],
            "Cakupan perekaman KTP-el per kabupaten/kota"),
        # A single night is a dot, not a trend: the template says so instead.
        "trend_chart": charts.share_line(trend_points, "Cakupan perekaman KTP-el provinsi per malam")
        if len(trend_points) > 1 else None,
    }
