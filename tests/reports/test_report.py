"""The managers' report as text: figures, escaping, masking, links, no script."""

from __future__ import annotations

import re

from pipelines.reports import write_report
from tests.reports.conftest import NIGHT


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
