"""A register without a single person, or without a row, is a run like any
other: matched against the published identity, nothing found."""

from __future__ import annotations

from pipelines.bapenda import match_file, register


def test_companies_only_and_empty_registers(sample, tmp_path):
    header = ",".join(register.COLUMNS) + "\n"
    companies = tmp_path / "badan.csv"
    companies.write_text(header + "A 1 B,BADAN,SUKARDI,,,JL. RAYA,KAB. SERANG,,100000,3\n"
                         "A 2 B,PRIBADI,PT. MAJU JAYA,,,JL. RAYA,KAB. SERANG,,200000,4\n", encoding="utf-8")
    run = match_file(companies, tmp_path / "badan_out.csv")
    assert run.counts["NOT_A_PERSON"] == 2 and run.rows == 2
    empty = tmp_path / "kosong.csv"
    empty.write_text(header, encoding="utf-8")
    assert match_file(empty, tmp_path / "kosong_out.csv").rows == 0
