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
