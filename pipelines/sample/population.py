"""People and families of one kecamatan as they stand on the first night.

A Chunk draws its households from one Random seeded by (seed, kecamatan), so
the same households come out every night; night-to-night change is applied on
top by pipelines.sample.evolution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from random import Random

from pipelines.sample import attributes as attr
from pipelines.sample import names
from pipelines.sample.layout import RETIRED_BY_DISTRICT, Kecamatan, Serials, kecamatan_under, province

# Rates per person unless noted; the truth records which records carry them.
P_DOUBLE_REGISTRATION = 0.0042  # per adult: ~0.3% of persons
P_SAME_NIK_TWICE = 0.15  # of double registrations: same NIK typed in twice
P_SHARED_NIK = 0.0005
P_NAME_VARIANT = 0.003
P_TWIN = 0.012  # per child slot
OUTSIDE_SHARE = {"3674": 0.20, "3671": 0.12, "3603": 0.08}  # NIK first issued outside Banten
HOUSEHOLD_SIZE = attr.Table({"1": 9, "2": 16, "3": 22, "4": 23, "5": 15, "6": 8, "7": 4, "8": 2, "9": 1})


@dataclass(slots=True)
class Person:
    pid: str
    nik: str
    sex: str
    birth: dt.date
    name: str
    tmpt: str
    agama: str
    kwn: str
    hbkel: str
    ibu: str
    ayah: str
    gol: str = "13"
    pddk: str = "1"
    pkrjn: str = "1"
    alive: bool = True
    ektp: int = 1
    ektp_date: int | None = None
    entri: int = 0
    ubah: int = 0
    anomaly: str = ""  # static: twin, shared_nik, estimated_birth_date
    shown_nik: str = ""  # what the export shows (another's NIK for shared_nik)
    shown_name: str = ""  # a misspelling until corrected on night fix_night
    fix_night: int = 0
    dup: Household | None = None  # second registration of this person

    def age(self, night: dt.date) -> int:
        b = self.birth
        return night.year - b.year - ((night.month, night.day) < (b.month, b.day))


@dataclass(slots=True)
class Household:
    index: int
    kec: Kecamatan
    desa: tuple[str, str]
    kk: str
    alamat: str
    rt: str
    rw: str
    members: list[Person]
    births: int = 0
    moved_night: int = -1  # night index of a move out of the district, -1 if none
    lag: int = 0  # nights the old district keeps listing the family
    origin: Household | None = None  # where a moved family is still listed (stale)
    entered: int = 0  # TGL_ENTRI/TGL_UBAH of records created by a move (ordinal)
    name_variants: dict[int, str] = field(default_factory=dict)  # member -> new district's spelling


def ddmmyy(d: dt.date, female: bool = False) -> str:
    return f"{d.day + (40 if female else 0):02d}{d.month:02d}{d.year % 100:02d}"


class Chunk:
    """Generates the households of one kecamatan in a fixed order."""

    def __init__(self, seed: int, kec: Kecamatan, n_persons: int, night0: dt.date) -> None:
        self.seed, self.kec, self.budget, self.night0 = seed, kec, n_persons, night0
        self.night0_ord = night0.toordinal()
        self.rng = Random(f"{seed}:{kec.code}:base")
        self.serials = Serials(kec.index)
        self.coverage = attr.desa_coverage(seed, kec)
        self.recent_niks: list[str] = []  # candidates for a shared NIK

    def households(self):
        made, h = 0, 0
        while made < self.budget:
            size = min(int(HOUSEHOLD_SIZE.draw(self.rng)), self.budget - made)
            hh = self._household(h, size)
            made += size
            h += 1
            yield hh

    # --- people -----------------------------------------------------------------
    def _birth(self, age_years: float) -> dt.date:
        return dt.date.fromordinal(self.night0_ord - 1 - int(age_years * 365.25))

    def _nik_region(self, birth: dt.date, child: bool) -> str:
        rng, kec = self.rng, self.kec
        u = rng.random()
        if child:
            return kec.code if u < 0.95 else self._province_kec()
        retired = RETIRED_BY_DISTRICT.get(kec.district)
        if retired and birth.year <= 1990 and u < 0.08:
            return names.pick(rng, retired)
        outside = OUTSIDE_SHARE.get(kec.district, 0.03)
        if u > 1 - outside:
            kab = names.pick(rng, tuple(names.OUTSIDE))
            return names.pick(rng, kecamatan_under(kab))
        return kec.code if u < 0.86 else self._province_kec()

    def _province_kec(self) -> str:
        return names.pick(self.rng, province(self.seed)).code

    def _nik(self, region: str, birth: dt.date, sex: str) -> str:
        # Serials count per birth date whatever the sex, so twins of either sex
        # get consecutive numbers.
        born = ddmmyy(birth)
        serial = None
        if region != self.kec.code:
            serial = self.serials.foreign("nik", region, born)
        if serial is None:
            region, serial = self.kec.code, self.serials.native("nik", born)
        return region + ddmmyy(birth, sex == "2") + serial

    def person(self, pid: str, sex: str, age: float, hbkel: str, kwn: str, agama: str,
               ayah: str, ibu: str, desa: str, twin_of: Person | None = None) -> Person:
        rng, night0 = self.rng, self.night0
        birth = twin_of.birth if twin_of else self._birth(age)
        anomaly = "twin" if twin_of else ""
        year = birth.year
        if not twin_of and rng.random() < (0.25 if year < 1955 else 0.06 if year < 1970 else 0.002):
            estimated = dt.date(year, 7, 1) if rng.random() < 0.6 else dt.date(year, 12, 31)
            if estimated < night0:
                birth, anomaly = estimated, "estimated_birth_date"
        child = hbkel in ("4", "6")
        region = twin_of.nik[:6] if twin_of else self._nik_region(birth, child)
        nik = self._nik(region, birth, sex)
        p = Person(pid, nik, sex, birth, "", names.birthplace(rng, region[:4]), agama, kwn, hbkel, ibu, ayah)
        p.anomaly = anomaly
        years = p.age(night0)
        p.gol = attr.BLOOD.draw(rng)
        p.pddk = attr.education(rng, years, year, self.kec.urban)
        p.pkrjn = attr.occupation(rng, years, p.pddk, self.kec.urban, hbkel == "3")
        p.name = names.titled(rng, names.given_name(rng, sex, year, agama), sex, years, p.pddk, agama)
        if years >= 17 or kwn != "1":
            p.ektp, p.ektp_date = attr.ektp(rng, self.coverage[desa], birth, years, self.night0_ord)
        p.alive = rng.random() >= (0.07 if years >= 70 else 0.015 if years >= 50 else 0.002)
        self._dates(p)
        p.shown_nik, p.shown_name = nik, p.name
        return p

    def _dates(self, p: Person) -> None:
        """TGL_ENTRI: legacy data entry for older people, registration after birth
        for the young; TGL_UBAH: the last edit, never before entry or e-KTP."""
        rng, night = self.rng, self.night0_ord
        born = p.birth.toordinal()
        if born < attr.SIAK_START:
            entri = attr.SIAK_START + int(rng.random() * 1800)
        else:
            entri = born + 7 + int(rng.random() * 400)
        p.entri = min(entri, night - 1)
        ubah = max(p.entri, p.ektp_date or 0)
        if rng.random() < 0.4:
            ubah += int(rng.random() * (night - ubah))
        p.ubah = min(ubah, night - 1)

    # --- families ---------------------------------------------------------------
    def _household(self, h: int, size: int) -> Household:
        rng, kec = self.rng, self.kec
        desa = kec.pick_desa(rng)
        agama = attr.religion(rng, kec)
        pid = f"P{kec.code}{h:06d}"
        members: list[Person] = []

        def add(sex, age, hbkel, kwn, ayah=None, ibu=None, twin_of=None):
            born = self.night0.year - int(age)
            ayah = ayah or names.given_name(rng, "1", born - 28, agama)
            ibu = ibu or names.given_name(rng, "2", born - 24, agama)
            p = self.person(f"{pid}{len(members):02d}", sex, age, hbkel, kwn, agama, ayah, ibu, desa[0], twin_of)
            members.append(p)
            return p

        u = rng.random()
        couple = size >= 3 and u < 0.9 or size == 2 and u < 0.75
        father = mother = None
        mother_age = 0.0  # the age the children's ages are drawn against
        if size == 1:
            age = 20 + rng.random() * 65
            add("1" if rng.random() < 0.55 else "2", age, "1",
                "1" if age < 30 else "4" if rng.random() < 0.6 else "3")
        elif couple:
            young = size == 2 and rng.random() < 0.5
            age = 21 + rng.random() * 9 if young else 55 + rng.random() * 25 if size == 2 else 25 + rng.random() * 35
            wife_age = max(18.0, age - rng.random() * 7)
            female_head = rng.random() < 0.02
            husband = add("1", age, "2" if female_head else "1", "2")
            wife = add("2", wife_age, "1" if female_head else "3", "2")
            if female_head:
                members.reverse()  # the head comes first on the family card
            father, mother, mother_age = husband, wife, wife_age
        else:  # single parent, mostly widowed or divorced mothers
            sex = "2" if rng.random() < 0.8 else "1"
            age = 30 + rng.random() * 30
            head = add(sex, age, "1", "4" if rng.random() < 0.5 else "3")
            father, mother = (head, None) if sex == "1" else (None, head)
            mother_age = age
        self._children(size - len(members), add, father, mother, mother_age)
        head = next(p for p in members if p.hbkel == "1")
        kk = self._kk(head)
        self._anomalies(members)
        hh = Household(h, kec, desa, kk, names.address(rng, desa[1], kec.urban), *names.rt_rw(rng), members)
        for p in members:
            if rng.random() < P_DOUBLE_REGISTRATION and p.anomaly == "" and p.age(self.night0) >= 17:
                p.dup = self._second_registration(p)
        return hh

    def _second_registration(self, p: Person) -> Household | None:
        """The same person registered again on a card of their own, usually in
        another district and under a new NIK, the name typed differently."""
        rng = self.rng
        kecs = province(self.seed)
        same_nik = rng.random() < P_SAME_NIK_TWICE
        if same_nik or rng.random() < 0.25:
            dest = names.pick(rng, [k for k in kecs if k.district == self.kec.district])
        else:
            dest = names.pick(rng, [k for k in kecs if k.district != self.kec.district])
        start = dt.date(2010, 1, 1).toordinal()
        issued = dt.date.fromordinal(start + int(rng.random() * (self.night0_ord - 30 - start)))
        kk_serial = self.serials.foreign("kk", dest.code, ddmmyy(issued))
        nik_serial = None if same_nik else self.serials.foreign("nik", dest.code, ddmmyy(p.birth))
        if kk_serial is None or (nik_serial is None and not same_nik):
            return None
        nik = p.nik if same_nik else dest.code + ddmmyy(p.birth, p.sex == "2") + nik_serial
        name = names.variant(rng, p.name) if rng.random() < 0.85 else p.name
        desa = dest.pick_desa(rng)
        entered = issued.toordinal()
        again = replace(p, nik=nik, shown_nik=nik, name=name, shown_name=name, hbkel="1", anomaly="double_nik",
                        entri=entered, ubah=max(entered, p.ektp_date or 0), fix_night=0, dup=None)
        return Household(-1, dest, desa, dest.code + ddmmyy(issued) + kk_serial,
                         names.address(rng, desa[1], dest.urban), *names.rt_rw(rng), [again])

    def _children(self, n: int, add, father: Person | None, mother: Person | None, mother_age: float) -> None:
        rng = self.rng
        if n <= 0:
            return
        # An absent parent is still named on every child's record, the same on each.
        born = self.night0.year - int(mother_age)
        agama = (father or mother).agama
        ayah = names.plain(father.name) if father else names.given_name(rng, "1", born - 3, agama)
        ibu = names.plain(mother.name) if mother else names.given_name(rng, "2", born, agama)
        if n > 0 and rng.random() < 0.1 and mother_age > 45:
            # the head's widowed parent lives with the family; name matches the card
            head = father or mother
            parent = add("2", mother_age + 25 + rng.random() * 5, "7", "4")
            parent.name = parent.shown_name = head.ibu
            n -= 1
        while n > 0:
            span = max(0.0, min(mother_age, 44) - 19)
            age = max(0.0, mother_age - 19 - rng.random() * span) if mother_age else rng.random() * 17
            hbkel = "4"
            sex = "1" if rng.random() < 0.51 else "2"
            kwn = "1" if age < 24 or rng.random() < 0.8 else "3"
            first = add(sex, age, hbkel, kwn, ayah, ibu)
            n -= 1
            if n > 0 and rng.random() < P_TWIN:
                # consecutive serials: the second NIK is allocated right after the first
                twin_sex = sex if rng.random() < 0.6 else "1" if sex == "2" else "2"
                second = add(twin_sex, age, hbkel, kwn, ayah, ibu, twin_of=first)
                first.anomaly = second.anomaly = "twin"
                n -= 1

    def _kk(self, head: Person) -> str:
        adult = head.birth.toordinal() + 18 * 365
        start = max(dt.date(2005, 1, 1).toordinal(), adult)
        issued = dt.date.fromordinal(start + int(self.rng.random() * max(1, self.night0_ord - 1 - start)))
        date_part = ddmmyy(issued)
        return self.kec.code + date_part + self.serials.native("kk", date_part)

    def _anomalies(self, members: list[Person]) -> None:
        rng = self.rng
        for p in members:
            u = rng.random()
            if p.anomaly:
                continue
            if u < P_SHARED_NIK and self.recent_niks:
                p.shown_nik, p.anomaly = names.pick(rng, self.recent_niks), "shared_nik"
            elif u < P_SHARED_NIK + P_NAME_VARIANT:
                p.shown_name = names.variant(rng, p.name)
                p.fix_night = 1 + int(rng.random() * 8)  # the registrar corrects it later
        adults = [p.nik for p in members if p.age(self.night0) >= 17]
        self.recent_niks = (self.recent_niks + adults)[-64:]
