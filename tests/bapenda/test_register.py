"""Reading the register: clear errors for bad files, registration names to codes."""

from __future__ import annotations

import pytest

from pipelines.bapenda import RegisterError, match_file, register
from pipelines.bapenda.cli import cmd_bapenda_match


def test_missing_column_names_file_and_column(tmp_path):
    path = tmp_path / "tunggakan.csv"
    path.write_text("NO_POLISI,JENIS_PEMILIK,NAMA_PEMILIK\nA 1 B,PRIBADI,SUKARDI\n", encoding="utf-8")
    with pytest.raises(RegisterError) as error:
        match_file(path, tmp_path / "out.csv")
    assert str(path) in str(error.value) and "NIK_PEMILIK" in str(error.value)
    assert not (tmp_path / "out.csv").exists()


def test_cli_exits_2_with_the_reason(tmp_path, capsys):
    path = tmp_path / "kosong.csv"
    path.write_text("", encoding="utf-8")

    class Args:
        input, output, as_of = path, tmp_path / "out.csv", None

    assert cmd_bapenda_match(Args) == 2
    assert str(path) in capsys.readouterr().out


@pytest.mark.parametrize("text, codes", [
    ("KAB. SERANG", ("3604",)), ("KOTA TANGERANG", ("3671",)), ("TANGSEL", ("3674",)),
    ("KOTA TNG", ("3671",)), ("KABUPATEN TANGERANG", ("3603",)), ("SERANG", ("3604", "3673")),
    ("KOTA JAKARTA BARAT", ()), ("", None)])
def test_registration_names_to_codes(text, codes):
    assert register.district_codes(text) == codes


def test_organisations_are_not_persons():
    assert not register.is_person("BADAN", "SUKARDI")
    assert not register.is_person("PRIBADI", "PT. MAJU JAYA")
    assert register.is_person("PRIBADI", "H. PUTRI WULANDARI")


def test_damaged_niks_keep_what_survived():
    assert register.nik_digits("3601011505800001") == ("3601011505800001", "360101150580", "360101")
    assert register.nik_digits("360101150580000") == (None, "360101150580", "360101")
    assert register.nik_digits("3.60101E+15") == (None, None, "360101")


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
