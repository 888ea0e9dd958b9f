"""The managers' report as text: figures, escaping, masking, links, no script."""

from __future__ import annotations

import re

from pipelines.reports import write_report
from tests.integration.reports.conftest import NIGHT


def figure(html: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}">([^<]*)<', html)[1]


def test_headline_figures(report_path):
    html = report_path.read_text(encoding="utf-8")
    # Last night: Lebak rejected; Sumberjaya 18 and Kertajaya 16 of 20 recorded.
    assert figure(html, "wajib-ktp") == "40"
    assert figure(html, "sudah-rekam") == "34"
    assert figure(html, "belum-rekam") == "6"
    assert figure(html, "cakupan-provinsi") == "85,0%"
    assert figure(html, "baris-dimuat") == "40"
    assert figure(html, "kabkota-ditolak") == "7 dari 8"


def test_hostile_text_is_escaped_and_niks_masked(report_path):
    html = report_path.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<b>3602" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "=HYPERLINK(&#34;http://evil.example&#34;)" in html
    assert "3601011505801234" not in html and "3601********1234" in html


def test_self_contained(report_path):
    html = report_path.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "@import" not in html
    assert html.count("<svg") == 3


def test_sections_in_bahasa(report_path):
    html = report_path.read_text(encoding="utf-8")
    for heading in ("Hasil validasi per kabupaten/kota", "Aturan yang paling banyak dilanggar",
                    "Perbandingan dengan malam sebelumnya", "Rincian wilayah",
                    "Desa/kelurahan dengan cakupan terendah", "Desa/kelurahan dengan penduduk belum rekam terbanyak"):
        assert heading in html
    assert "NIK harus tepat 16 digit angka" in html  # the rule's people-facing sentence
    assert "Kertajaya (3601012002)" in html  # desa names from the Kemendagri list
    assert "Baris dimuat turun 100,0%" in html  # Lebak rejected on the last night


def test_data_docs_linked_only_when_present(report_path, tmp_path):
    assert 'href="data_docs/index.html"' in report_path.read_text(encoding="utf-8")
    assert "data_docs/index.html" not in write_report(NIGHT, tmp_path).read_text(encoding="utf-8")


def test_figures_over_fewer_districts_say_so_and_missing_ones_show(report_path):
    html = report_path.read_text(encoding="utf-8")
    # Only Kab. Pandeglang has data on the last night: every province figure says over how many.
    for element_id in ("cakupan-provinsi", "wajib-ktp", "sudah-rekam", "belum-rekam", "baris-dimuat"):
        assert re.search(rf'id="{element_id}">[^<]*</dd><dd class="basis">dari 1 dari 8 kab/kota</dd>', html)
    chart = html[html.index("<title>Cakupan perekaman KTP-el per kabupaten/kota"):]
    chart = chart[:chart.index("</svg>")]
    assert chart.count(">tidak ada data<") == 7 and "Kab. Lebak" in chart
    assert "angka provinsi di bawah dihitung dari 1 dari 8 kab/kota" in html
    # No file is "Tidak diterima"; a refused file is "Ditolak".
    rows = {m[1]: m[2] for m in re.finditer(r'<td class="text">(\d{4}) [^<]*</td><td class="text status (\w+)', html)}
    assert rows["3672"] == "Tidak" and "Tidak diterima" in html
    assert rows["3602"] == "Ditolak"


def test_rules_and_columns_in_plain_bahasa_with_the_code_small_beside(report_path):
    html = report_path.read_text(encoding="utf-8")
    assert "Tanggal lahir dalam NIK berbeda dengan tanggal lahir <code>TGL_LHR</code>" in html
    assert "<code>nik_birth_date</code>" in html
    assert "Jumlah kolom baris tidak sama dengan judul<br><code>field_count</code>" in html


def test_charts_show_values_and_the_lowest(report_path):
    html = report_path.read_text(encoding="utf-8")
    loads = html[html.index("<title>Baris dimuat dan dikarantina"):]
    loads = loads[:loads.index("</svg>")]
    assert ">40<" in loads and ">+1<" in loads  # values on the bars; the quarantined row shown
    coverage = html[html.index("<title>Cakupan perekaman KTP-el per kabupaten/kota"):]
    assert ">0%<" in coverage[:coverage.index("</svg>")]  # the axis starts at zero
    trend = html[html.index("<title>Cakupan perekaman KTP-el provinsi per malam"):]
    # A dot per night: the fixture's five, and whatever nights other tests loaded
    # into the shared warehouse before the report was written, up to the trend's length.
    from pipelines.reports.coverage import TREND_NIGHTS

    assert 5 <= trend[:trend.index("</svg>")].count("<circle") <= TREND_NIGHTS


def test_readable_on_a_phone(report_path):
    html = report_path.read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count("<table>") == html.count('<div class="scroll"><table>')


def test_lowest_districts_are_marked():
    from pipelines.reports.charts import share_bars

    svg = str(share_bars([("A", 0.97), ("B", 0.91), ("C", 0.99), ("D", None), ("E", 0.95)], "t"))
    labels = re.findall(r">([A-E])</text>", svg)
    assert labels == ["B", "E", "A", "C", "D"]  # lowest first, no data last
    assert ">91,0%  terendah<" in svg and ">95,0%  terendah<" in svg and "97,0%  terendah" not in svg
