"""Indonesian name, birth place and NIK normalisation."""

import pandas as pd
import pytest

from pipelines.identity import names, nik


@pytest.mark.parametrize("raw, key", [
    ("H. MOCH. DJUNAEDI, S.PD", "MUHAMMAD JUNAEDI"),
    ("MOHAMAD junaedi", "MUHAMMAD JUNAEDI"),
    ("M. RIZKY", "MUHAMMAD RIZKY"),
    ("HJ. SITI NURHASANAH S.PD.I", "SITI NURHASANAH"),
    ("DRS. AGUS SUTISNA, M.PD", "AGUS SUTISNA"),
    ("MA'RUF", "MARUF"),
    ("ABD. RAHMAN", "ABDUL RAHMAN"),
    ("ABDULRAHMAN", "ABDUL RAHMAN"),
    ("ABDULLAH ZAKIYAH", "ABDULLAH ZAKIYAH"),  # a name of its own: ABDUL + LAH would lose A. ZAKIYAH
    ("SOEKARNO", "SUKARNO"),
    ("TJIN LIANG", "CIN LIANG"),
    ("  siti   n.  halimah ", "SITI N HALIMAH"),
    ("HAJI", "HAJI"),  # a title alone is the name, never stripped to nothing
])
def test_name_key(raw, key):
    assert names.name_key(raw) == key


def test_spelling_variants_share_a_skeleton():
    pairs = [("SYAFEI", "SAFEI"), ("KHAERUL", "HAERUL"), ("ZAENAL", "JAINAL"), ("FATIMAH", "FATIMA"),
             ("SAEPUL", "SAIFUL"), ("NUR HAYATI", "NURHAYATI"),
             ("JULIANI CAHJONO", "YULIANI CAHYONO"), ("HIDAJAT", "HIDAYAT")]  # old spelling: J for Y
    for a, b in pairs:
        assert names.skeleton(names.name_key(a)) == names.skeleton(names.name_key(b)), (a, b)


def test_given_name_and_initials():
    key = names.name_key("MUHAMMAD RIZKY PRATAMA")
    assert names.first_token(key) == "RIZKY" and names.initials(key) == "MRP"
    assert names.first_token("SUKARDI") == "SUKARDI"


def test_place_key():
    assert names.place_key("KAB. PANDEGLANG") == names.place_key("pandeglang") == "PANDEGLANG"
    assert names.place_key("TNG") == names.place_key("Kota Tangerang") == "TANGERANG"


def test_nik_parts():
    woman = nik.parse("3601015505800012")
    assert woman == nik.NikParts(region="360101", birth="150580", sex="2", serial="0012")
    assert nik.parse("3601011505800012").sex == "1"
    assert nik.parse("36010115058000") is None and nik.parse("3601019905800012") is None


def test_nik_parts_of_a_column_keep_its_rows_and_blank_the_malformed():
    column = pd.Series(["3601015505800012", None, "", "36010115058000", "3601019905800012", "36010115058O0012",
                        "3671020101000001"], index=[10, 11, 12, 13, 14, 15, 16])
    parts = nik.parts(column)
    assert list(parts.index) == list(column.index)
    assert parts.loc[10].to_dict() == {"region": "360101", "birth": "150580", "sex": "2", "serial": "0012"}
    assert parts.loc[16].to_dict() == {"region": "367102", "birth": "010100", "sex": "1", "serial": "0001"}
    assert parts.loc[11:15].isna().all(axis=None)


def test_address_key_spells_out_abbreviations_and_keeps_house_numbers():
    assert names.address_key("Jl. Merdeka No. 012") == names.address_key("JALAN MERDEKA 12") == "JALAN MERDEKA 12"
    assert names.address_key("KP. SUKAMAJU") == "KAMPUNG SUKAMAJU"
    assert names.address_key("JL. MERDEKA NO. 21") != names.address_key("JL. MERDEKA NO. 12")
    assert names.address_key(None) == ""


def test_desa_is_the_full_code_and_none_without_a_desa():
    from pipelines.identity.features import node_features

    records = pd.DataFrame({"unique_id": ["a", "b"], "export_key": ["3601", "3601"], "nik": None, "no_kk": None,
                            "nama_lgkp": ["SITI", "SITI"], "jenis_klmin": None, "tmpt_lhr": None,
                            "tgl_lhr": None, "nama_lgkp_ibu": None, "nama_lgkp_ayah": None,
                            "alamat": ["KP. KRAMAT", ""], "no_prop": "36", "no_kab": "01", "no_kec": "01",
                            "no_kel": ["2004", ""]})
    nodes = node_features(records)
    assert nodes["desa"][0] == "3601012004" and pd.isna(nodes["desa"][1])
    assert nodes["address_key"][0] == "KAMPUNG KRAMAT" and pd.isna(nodes["address_key"][1])
    # Bapenda's register and older callers pass no address columns at all.
    bare = node_features(records.drop(columns=["alamat", "no_prop", "no_kab", "no_kec", "no_kel"]))
    assert bare["desa"].isna().all() and bare["address_key"].isna().all()
