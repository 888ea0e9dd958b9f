"""The parts of a NIK and what each one means.

A NIK is PP KK CC DDMMYY SSSS: the kecamatan where it was first issued (never
changes on a move), the birth date (day + 40 for women) and a serial. Two
strangers born the same day in neighbouring kecamatan have NIKs one or two
digits apart, so a NIK is never compared as a whole string by edit distance:
matching compares region, birth part, sex and serial each for what it says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class NikParts:
    region: str  # 6 digits: province, kab/kota, kecamatan of first issue
    birth: str  # DDMMYY with the +40 for women removed
    sex: str  # "1" laki-laki, "2" perempuan, as JENIS_KLMIN
    serial: str  # 4 digits


FIELDS = ("region", "birth", "sex", "serial")


def parts(niks: pd.Series) -> pd.DataFrame:
    """The parts of each well-formed NIK, one column per field of NikParts; all
    None where a NIK is short, not digits or has an impossible day. Vectorised:
    a province has as many distinct NIKs as residents."""
    text = niks.astype("string")
    ok = text.str.fullmatch(r"[0-9]{16}").fillna(False).to_numpy(dtype=bool)
    day = pd.to_numeric(text.str.slice(6, 8).where(ok), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    woman = day > 40
    day = np.where(woman, day - 40, day)
    ok &= (day >= 1) & (day <= 31)
    out = pd.DataFrame({
        "region": text.str.slice(0, 6),
        "birth": pd.Series(np.where(ok, day, 0).astype(int), index=niks.index).astype("string").str.zfill(2)
        + text.str.slice(8, 12),
        "sex": pd.Series(np.where(woman, "2", "1"), index=niks.index),
        "serial": text.str.slice(12)}, index=niks.index).astype(object)
    return out.where(pd.Series(ok, index=niks.index), None, axis=0)


def parse(nik: str | None) -> NikParts | None:
    """The parts of one well-formed NIK, or None (short, non-digit or impossible day)."""
    row = parts(pd.Series([nik], dtype=object)).iloc[0]
    return None if row["region"] is None else NikParts(**row.to_dict())
