"""The PKB arrears register as Bapenda sends it (docs/contract/bapenda-arrears.md):
read, checked, and turned into the features the identity step compares.

Name and NIK features come from pipelines.identity (names.py, nik.py,
features.py), so a register row is compared exactly as a SIAK record is. Only
the registration area is specific to the register: free-text kab/kota and
kecamatan names are mapped to Kemendagri codes here.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pandas as pd

from pipelines.contract import DISTRICTS, kecamatan_codes
from pipelines.identity import names, nik
from pipelines.identity.features import IDENTITY_COLUMNS, node_features

COLUMNS = ("NO_POLISI", "JENIS_PEMILIK", "NAMA_PEMILIK", "NIK_PEMILIK", "TGL_LHR_PEMILIK", "ALAMAT_PEMILIK",
           "KAB_KOTA_DAFTAR", "KEC_DAFTAR", "TUNGGAKAN_RP", "BULAN_TUNGGAK")
# A PRIBADI row whose name is plainly an organisation's is not a person either:
# companies must never match persons, whatever the owner type says.
_ORGANISATION = frozenset("PT CV UD YAYASAN KOPERASI KOP DINAS BADAN PEMKAB PEMKOT PEMDA PERUM PERUSAHAAN "
                          "KANTOR YYS".split())
_KOTA, _KAB = frozenset("KOTA KOTAMADYA KOT".split()), frozenset("KAB KABUPATEN".split())
_DIGITS = re.compile(r"\D")
_RT_RW = re.compile(r"\bRT\W*0*(\d+)\W*RW\W*0*(\d+)")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


class RegisterError(ValueError):
    """The register file cannot be matched as it is; the message names the file and what is wrong."""


def read(path: Path) -> pd.DataFrame:
    """The register as text columns (empty cells as ""), with ROW_NO (1-based data row)."""
    path = Path(path)
    if not path.is_file():
        raise RegisterError(f"{path}: berkas tidak ada (file not found)")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise RegisterError(f"{path}: tidak dapat dibaca sebagai CSV UTF-8 berkoma ({error})") from None
    frame.columns = [c.strip().upper() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise RegisterError(f"{path}: kolom wajib tidak ada: {', '.join(missing)}")
    frame = frame[list(COLUMNS)].apply(lambda column: column.str.strip())
    for column in ("TUNGGAKAN_RP", "BULAN_TUNGGAK"):
        bad = ~frame[column].str.fullmatch(r"\d+")
        if bad.any():
            row = int(bad.idxmax()) + 1
            raise RegisterError(f"{path}: kolom {column} baris {row}: bukan bilangan bulat")
    frame.insert(0, "ROW_NO", range(1, len(frame) + 1))
    return frame


def birth_date(text: str) -> dt.date | None:
    """TGL_LHR_PEMILIK: YYYY-MM-DD or DD-MM-YYYY; anything else is unknown."""
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def is_person(jenis: str, name: str) -> bool:
    tokens = names.place_key(name).split()  # punctuation gone: "PT." and "PT" alike
    return jenis.upper() != "BADAN" and not (tokens and tokens[0] in _ORGANISATION)


@cache
def district_codes(text: str) -> tuple[str, ...] | None:
    """The Banten kab/kota a registration name can mean: `KAB. SERANG` -> 3604,
    `TANGSEL` -> 3674, a bare `SERANG` -> both 3604 and 3673 (it is ambiguous).
    () for a place outside Banten; None when blank."""
    tokens = names.place_key(text.replace(".", " ")).split() if text else []
    if not tokens:
        return None
    first = text.upper().replace(".", " ").split()[0]
    kind = "kota" if first in _KOTA else "kab" if first in _KAB else None
    base = " ".join(tokens)
    return tuple(code for code, district in DISTRICTS.items()
                 if names.place_key(district.name) == base
                 and kind in (None, "kota" if code[2] == "7" else "kab"))


@cache
def kecamatan_codes_named(text: str, districts: tuple[str, ...]) -> tuple[str, ...]:
    """Kecamatan of those districts whose name is `text` (normalised like a birth place)."""
    key = names.place_key(text)
    if not key:
        return ()
    return tuple(code for district in districts for code, name in kecamatan_codes(district).items()
                 if names.place_key(name) == key)


def nik_digits(raw: str) -> tuple[str | None, str | None, str | None]:
    """(whole NIK, its first 12 digits, its region) as far as a spreadsheet kept
    them: a 16-digit NIK is whole; with a digit lost at the end, region, birth
    date and sex (the first 12) still count; `3.60101E+15` kept the region only."""
    if "E" in raw.upper():
        mantissa = _DIGITS.sub("", raw.upper().split("E")[0])
        return None, None, mantissa[:6] if len(mantissa) >= 6 else None
    digits = _DIGITS.sub("", raw)
    if len(digits) == 16:
        return digits, digits[:12], digits[:6]
    return None, digits[:12] if len(digits) == 15 else None, digits[:6] if len(digits) == 15 else None


def address_key(text: str | None) -> str | None:
    """An address for equality: upper case, punctuation gone, numbers without
    leading zeros, RT/RW left out (they are compared as numbers)."""
    if not text:
        return None
    tokens = _NOT_ALNUM.sub(" ", _RT_RW.sub(" ", text.upper())).split()
    return " ".join(t.lstrip("0") or "0" if t.isdigit() else t for t in tokens) or None


def rt_rw(text: str) -> str | None:
    """`RT 011/RW 005` in a free-text address as "11/5"."""
    found = _RT_RW.search(text.upper())
    return f"{found.group(1)}/{found.group(2)}" if found else None


def features(register: pd.DataFrame) -> pd.DataFrame:
    """Comparable features of the person rows (node_features of pipelines.identity),
    plus the registration area: `reg_kabs` and `reg_kecs` (code lists, None when
    blank; [] for a place outside Banten) and `nik_kec`, the registered NIK's
    region (kecamatan code), when it has one."""
    person = [is_person(j, n) for j, n in zip(register["JENIS_PEMILIK"], register["NAMA_PEMILIK"])]
    people = register[pd.Series(person, index=register.index, dtype=bool)]
    whole, prefix, region = zip(*people["NIK_PEMILIK"].map(nik_digits)) if len(people) else ((), (), ())
    # The serial does not change region, birth or sex: any will do to parse a truncated NIK.
    parts = pd.Series([nik.parse(p + "0001") if p else None for p in prefix], index=people.index, dtype=object)
    records = pd.DataFrame({column: None for column in IDENTITY_COLUMNS}, index=people.index)
    records["unique_id"] = people["ROW_NO"].astype(str)
    records["export_key"] = None
    records["nik"] = list(whole)
    records["nama_lgkp"] = people["NAMA_PEMILIK"]
    dob = people["TGL_LHR_PEMILIK"].map(birth_date)
    records["tgl_lhr"] = dob.map(lambda d: d.isoformat() if d else None)
    # The register has no sex column; a NIK's birth day says it (women +40).
    records["jenis_klmin"] = parts.map(lambda p: p.sex if p else None)
    out = node_features(records)
    # node_features parses whole NIKs only; a truncated one still has region and birth.
    for field in ("region", "birth", "sex"):
        out[f"nik_{field}"] = parts.map(lambda p, f=field: getattr(p, f) if p else None).to_numpy()
    out["row_no"] = people["ROW_NO"].to_numpy()
    out["addr_key"] = people["ALAMAT_PEMILIK"].map(address_key).to_numpy()
    out["addr_rt_rw"] = people["ALAMAT_PEMILIK"].map(rt_rw).to_numpy()
    kabs = people["KAB_KOTA_DAFTAR"].map(district_codes)
    out["reg_kabs"] = [list(k) if k is not None else None for k in kabs]
    out["reg_kecs"] = [sorted(kecamatan_codes_named(kec, k)) or None if k and kec else None
                       for kec, k in zip(people["KEC_DAFTAR"], kabs)]
    # Where the registered NIK was issued is kecamatan evidence too: the only
    # evidence left in a NIK a spreadsheet turned into 3.60227E+15. Kept apart
    # from the named kecamatan: a row anchored by its NIK agrees on it by
    # construction (scoring.register_m).
    out["nik_kec"] = list(region)
    return out
