"""The parts of a NIK and what each one means.

A NIK is PP KK CC DDMMYY SSSS: the kecamatan where it was first issued (never
changes on a move), the birth date (day + 40 for women) and a serial. Two
strangers born the same day in neighbouring kecamatan have NIKs one or two
digits apart, so a NIK is never compared as a whole string by edit distance:
matching compares region, birth part, sex and serial each for what it says.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NikParts:
    region: str  # 6 digits: province, kab/kota, kecamatan of first issue
    birth: str  # DDMMYY with the +40 for women removed
    sex: str  # "1" laki-laki, "2" perempuan, as JENIS_KLMIN
    serial: str  # 4 digits


def parse(nik: str | None) -> NikParts | None:
    """The parts of a well-formed NIK, or None (short, non-digit or impossible day)."""
    if not nik or len(nik) != 16 or not nik.isdigit():
        return None
    day = int(nik[6:8])
    sex = "2" if day > 40 else "1"
    if sex == "2":
        day -= 40
    if not 1 <= day <= 31:
        return None
    return NikParts(region=nik[:6], birth=f"{day:02d}{nik[8:12]}", sex=sex, serial=nik[12:])

