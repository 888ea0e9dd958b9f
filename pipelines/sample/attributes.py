"""Coded SIAK attributes (AGAMA, GOL_DRH, PDDK_AKH, JENIS_PKRJN, e-KTP) drawn
with Banten-like frequencies. Values are contract code strings."""

from __future__ import annotations

import datetime as dt
import math
from itertools import accumulate
from random import Random

from pipelines.sample.layout import Kecamatan


class Table:
    """A categorical distribution; draw() is a linear scan over a few codes."""

    __slots__ = ("codes", "cum")

    def __init__(self, weights: dict[str, float]) -> None:
        self.codes = tuple(weights)
        total = sum(weights.values())
        self.cum = tuple(c / total for c in accumulate(weights.values()))

    def draw(self, rng: Random) -> str:
        u = rng.random()
        for code, c in zip(self.codes, self.cum):
            if u < c:
                return code
        return self.codes[-1]


# Banten is ~95% Muslim; the Tangerang cities hold most Christians and the
# Chinese-Indonesian (Cina Benteng) Buddhists and Confucians.
RELIGION = {
    "city": Table({"1": 85, "2": 7, "3": 3, "4": 0.5, "5": 4, "6": 0.5}),
    "3603": Table({"1": 92, "2": 3, "3": 1, "4": 0.1, "5": 3.5, "6": 0.4}),
    "rural": Table({"1": 98.6, "2": 0.7, "3": 0.3, "4": 0.1, "5": 0.2, "6": 0.1}),
}
BADUY_KECAMATAN = "360206"  # Leuwidamar: Kanekes, Sunda Wiwitan (Kepercayaan)
BLOOD = Table({"13": 60, "4": 14, "1": 9, "2": 12, "3": 3, "5": 0.4, "7": 0.4, "11": 0.4,
               "6": 0.2, "8": 0.2, "9": 0.2, "10": 0.1, "12": 0.1})
EDUCATION_BY_COHORT = (  # (born before, table): education rose steadily
    (1960, Table({"1": 20, "2": 20, "3": 40, "4": 10, "5": 8, "8": 2})),
    (1980, Table({"1": 5, "2": 10, "3": 35, "4": 20, "5": 22, "7": 3, "8": 5})),
    (9999, Table({"1": 2, "2": 4, "3": 20, "4": 22, "5": 38, "6": 2, "7": 4, "8": 7, "9": 1, "10": 0.1})),
)
WORK_URBAN = Table({"15": 35, "88": 20, "19": 15, "8": 10, "5": 5, "1": 10, "16": 3, "6": 1, "7": 1})
WORK_RURAL = Table({"9": 30, "20": 12, "19": 18, "88": 15, "8": 8, "11": 5, "15": 7, "1": 5})
EKTP_RECORDED = Table({"8": 86, "3": 4, "4": 3, "5": 2, "6": 2, "7": 3})

SIAK_START = dt.date(2008, 1, 1).toordinal()  # data entry of the legacy register
EKTP_START = dt.date(2011, 2, 1).toordinal()  # e-KTP recording began
EKTP_CAMPAIGN_END = dt.date(2013, 12, 31).toordinal()


def religion(rng: Random, kec: Kecamatan) -> str:
    if kec.code == BADUY_KECAMATAN and rng.random() < 0.25:
        return "7"
    key = "city" if kec.district in ("3671", "3674") else kec.district if kec.district == "3603" else "rural"
    return RELIGION[key].draw(rng)


def education(rng: Random, age: int, birth_year: int, urban: bool) -> str:
    if age < 7:
        return "1"
    if age < 13:
        return "2"
    if age < 16:
        return "3"
    if age < 19:
        return "4"
    if urban:
        birth_year += 15  # cities are a generation ahead
    table = next(t for year, t in EDUCATION_BY_COHORT if birth_year < year)
    return table.draw(rng)


def occupation(rng: Random, age: int, pddk: str, urban: bool, housewife: bool) -> str:
    if age < 5:
        return "1"
    if age < 19 or (age < 23 and pddk in ("5", "6") and rng.random() < 0.4):
        return "3"  # pelajar/mahasiswa
    if housewife and rng.random() < 0.6:
        return "2"
    if age >= 60 and rng.random() < 0.6:
        return "4" if int(pddk) >= 5 else "1"
    return (WORK_URBAN if urban else WORK_RURAL).draw(rng)


def desa_coverage(seed: int, kec: Kecamatan) -> dict[str, float]:
    """Probability that a wajib-KTP resident of each desa has recorded.

    Remote kecamatan sit near 87%, the rest near 98.5%; a per-desa factor makes
    some villages (islands, upland hamlets) visibly worse than their neighbours.
    """
    base_gap = 0.12 if kec.remote else 0.014
    rng = Random(f"{seed}:{kec.code}:coverage")
    return {code: max(0.5, 1 - base_gap * math.exp(rng.gauss(0, 0.5))) for code, _ in kec.desa}


def ektp(rng: Random, recorded_p: float, birth: dt.date, age: int, night: int) -> tuple[int, int | None]:
    """(status, recording date ordinal) for someone who is wajib KTP."""
    if age < 19:
        recorded_p *= 0.85  # newly wajib teenagers lag behind
    if rng.random() >= recorded_p:
        return 2, None
    status = int(EKTP_RECORDED.draw(rng))
    try:
        seventeen = birth.replace(year=birth.year + 17).toordinal()
    except ValueError:  # 29 February
        seventeen = birth.toordinal() + 17 * 365 + 4
    earliest = max(EKTP_START, seventeen)
    if earliest >= night:
        return status, night - 1
    if earliest < EKTP_CAMPAIGN_END and rng.random() < 0.55:
        return status, earliest + int(rng.random() * (EKTP_CAMPAIGN_END - earliest))
    return status, earliest + int(rng.random() * (night - earliest))
