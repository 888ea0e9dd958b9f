"""The Bapenda vehicle-tax (PKB) arrears register for the last night, and the
truth of whom each row names (contract: bapenda-arrears.md).

Owners are drawn while the last night is generated (one Random per kecamatan,
so the draw does not disturb the exports); the register is assembled at the end
from those few owners only.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from random import Random

from pipelines.sample import names
from pipelines.sample.evolution import typo
from pipelines.sample.layout import kecamatan_under
from pipelines.sample.population import Household, Person

COLUMNS = ("NO_POLISI", "JENIS_PEMILIK", "NAMA_PEMILIK", "NIK_PEMILIK", "TGL_LHR_PEMILIK", "ALAMAT_PEMILIK",
           "KAB_KOTA_DAFTAR", "KEC_DAFTAR", "TUNGGAKAN_RP", "BULAN_TUNGGAK")
KAB_KOTA = {
    "3601": ("KAB. PANDEGLANG", "KABUPATEN PANDEGLANG", "PANDEGLANG"),
    "3602": ("KAB. LEBAK", "KAB LEBAK", "LEBAK"),
    "3603": ("KAB. TANGERANG", "KABUPATEN TANGERANG", "KAB TANGERANG"),
    "3604": ("KAB. SERANG", "KAB SERANG", "KABUPATEN SERANG"),
    "3671": ("KOTA TANGERANG", "TANGERANG", "KOTA TNG"),
    "3672": ("KOTA CILEGON", "CILEGON"),
    "3673": ("KOTA SERANG", "SERANG"),
    "3674": ("KOTA TANGERANG SELATAN", "TANGERANG SELATAN", "TANGSEL"),
}
OUTSIDE_KAB = {"3173": "KOTA JAKARTA BARAT", "3174": "KOTA JAKARTA SELATAN", "3201": "KAB. BOGOR",
               "3275": "KOTA BEKASI", "1871": "KOTA BANDAR LAMPUNG"}
TANGERANG_RAYA = ("3603", "3671", "3674")  # Polda Metro Jaya: B plates; the rest of Banten: A
BADAN = (("PT", "MAJU JAYA|SINAR BANTEN|KRAKATAU SARANA|MITRA SEJAHTERA|CAHAYA ABADI|BERKAH LOGISTIK"),
         ("CV", "BERKAH MANDIRI|SUMBER REJEKI|KARYA UTAMA|ANUGRAH TEKNIK"),
         ("YAYASAN", "PENDIDIKAN ISLAM AL-KHAIRIYAH|AL-HIDAYAH|PESANTREN DAAR EL-QOLAM|KASIH BUNDA"),
         ("KOPERASI", "UNIT DESA MAKMUR|SIMPAN PINJAM SEJAHTERA|NELAYAN MINA BAHARI"),
         ("DINAS", "PEKERJAAN UMUM|KESEHATAN|PERHUBUNGAN|PENDIDIKAN DAN KEBUDAYAAN"))
SHARE_BADAN, SHARE_OUTSIDE = 0.10, 0.08


@dataclass(frozen=True)
class Owner:
    pid: str
    name: str
    nik: str
    birth: dt.date
    age: int
    alive: bool
    district: str
    kecamatan: str
    alamat: str
    moved_from: str  # district the family left during the sample, or ""


class ArrearsSampler:
    def __init__(self, seed: int, persons: int, night: dt.date) -> None:
        self.seed, self.night = seed, night
        self.total = max(200, persons // 100)
        # adults are ~65% of the population; PRIBADI owners fill the rest of the quota
        self.p_adult = min(1.0, (1 - SHARE_BADAN - SHARE_OUTSIDE) * self.total / (0.65 * persons))
        self.owners: list[Owner] = []
        self.rng = Random()

    def start_kecamatan(self, code: str) -> None:
        self.rng = Random(f"{self.seed}:{code}:arrears")

    def consider(self, hh: Household, p: Person) -> None:
        age = p.age(self.night)
        weight = self.p_adult if age >= 17 else self.p_adult * 0.01  # a few cars in a child's name
        if not p.alive:
            weight *= 5  # cars outlive their owners in the register
        if self.rng.random() < weight:
            moved_from = hh.origin.kec.district if hh.origin is not None else ""
            self.owners.append(Owner(p.pid, p.name, p.nik, p.birth, age, p.alive, hh.kec.district,
                                     hh.kec.name, f"{hh.alamat} RT {hh.rt}/RW {hh.rw}", moved_from))

    def write(self, out_dir: Path) -> Path:
        rng = Random(f"{self.seed}:arrears-register")
        rows = [self._pribadi(rng, o) for o in self.owners]
        n_badan = round(self.total * SHARE_BADAN)
        rows += [self._badan(rng) for _ in range(n_badan)]
        rows += [self._outside(rng) for _ in range(max(self.total - len(rows), round(self.total * 0.02)))]
        rng.shuffle(rows)
        plates: set[str] = set()
        register, truth = out_dir / "arrears_register.csv", out_dir / "truth" / "arrears.csv"
        with register.open("w", encoding="utf-8", newline="") as f, truth.open("w", encoding="utf-8", newline="") as t:
            w, tw = csv.writer(f), csv.writer(t, lineterminator="\n")
            w.writerow(COLUMNS)
            tw.writerow(("ROW_NO", "true_person_id", "expected_status"))
            for i, (district, row, pid, status) in enumerate(rows, start=1):
                w.writerow((_plate(rng, district, plates), *row, *_amount(rng)))
                tw.writerow((i, pid, status))
        return register

    def _pribadi(self, rng: Random, o: Owner):
        # Many owners registered the car before moving; the register keeps the old place.
        if o.moved_from:
            district = o.moved_from
        elif rng.random() < 0.35:
            district = names.pick(rng, tuple(KAB_KOTA))
        else:
            district = o.district
        same_place = district == o.district
        u = rng.random()
        name = o.name if u < 0.6 else names.variant(rng, o.name) if u < 0.85 else _retitle(rng, o.name)
        v = rng.random()
        nik = "" if v < 0.4 else _damaged(rng, o.nik) if v < 0.5 else o.nik
        birth = _date(rng, o.birth) if rng.random() < 0.5 else ""
        alamat = o.alamat if same_place and rng.random() < 0.7 else names.address(rng, "", district.startswith("367"))
        kec = o.kecamatan.upper() if same_place and rng.random() < 0.7 else ""
        if o.age < 17:
            status = "NO_MATCH"  # minors are never returned
        elif nik == o.nik or (birth and name == o.name):
            status = "MATCHED"
        elif birth or (same_place and len(name.split()) >= 2):
            status = "PROBABLE"
        else:
            status = "NO_MATCH"
        row = ("PRIBADI", name, nik, birth, alamat, names.pick(rng, KAB_KOTA[district]), kec)
        return district, row, o.pid, status

    def _badan(self, rng: Random):
        kind, choices = names.pick(rng, BADAN)
        name = f"{kind} {names.pick(rng, choices.split('|'))}"
        district = names.pick(rng, tuple(KAB_KOTA))
        if kind == "DINAS":
            name += " " + KAB_KOTA[district][0]
        row = ("BADAN", name, "", "", names.address(rng, "", True), names.pick(rng, KAB_KOTA[district]), "")
        return district, row, "", "NOT_A_PERSON"

    def _outside(self, rng: Random):
        """An owner from outside Banten: a well-formed NIK nobody in the register holds
        (serials 0001-0999 are never issued to Banten residents born elsewhere)."""
        kab = names.pick(rng, tuple(OUTSIDE_KAB))
        sex = "1" if rng.random() < 0.6 else "2"
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.random() * 20000))
        day = birth.day + (40 if sex == "2" else 0)
        nik = f"{names.pick(rng, kecamatan_under(kab))}{day:02d}{birth:%m%y}{1 + int(rng.random() * 999):04d}"
        name = names.given_name(rng, sex, birth.year, "1")
        row = ("PRIBADI", name, nik if rng.random() < 0.6 else "", _date(rng, birth) if rng.random() < 0.5 else "",
               names.address(rng, "", True), OUTSIDE_KAB[kab], "")
        return "3603", row, "", "NO_MATCH"


def _retitle(rng: Random, name: str) -> str:
    bare = names.plain(name)
    return bare if bare != name else ("H. " if rng.random() < 0.6 else "HJ. ") + name


def _damaged(rng: Random, nik: str) -> str:
    """Mistyped or mangled on the way through a spreadsheet."""
    u = rng.random()
    if u < 0.6:
        return typo(nik, rng)
    if u < 0.8:
        return nik[:-1]  # a digit lost
    return f"{int(nik[0])}.{nik[1:6]}E+15"  # Excel turned it into a number


def _date(rng: Random, d: dt.date) -> str:
    return d.isoformat() if rng.random() < 0.5 else f"{d:%d-%m-%Y}"


def _plate(rng: Random, district: str, seen: set[str]) -> str:
    prefix = "B" if district in TANGERANG_RAYA else "A"
    while True:
        letters = "".join(chr(65 + int(rng.random() * 26)) for _ in range(1 + int(rng.random() * 3)))
        plate = f"{prefix} {1 + int(rng.random() * 9999)} {letters}"
        if plate not in seen:
            seen.add(plate)
            return plate


def _amount(rng: Random) -> tuple[int, int]:
    """(TUNGGAKAN_RP, BULAN_TUNGGAK): motorbikes owe a few hundred thousand, cars millions."""
    rupiah = min(50_000_000, max(150_000, math.exp(rng.gauss(math.log(1_500_000), 1.0))))
    return int(round(rupiah, -2)), 1 + int(59 * rng.random() ** 2)
