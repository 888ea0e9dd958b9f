"""A clean base population of Banten: households on family cards, one export row per person.

Every person is distinct and appears once; the catalogue adds the second
registrations and the hard negatives on top (build.py).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from functools import cache

import pandas as pd

from catalogue.names import (DISTRICT_GROUPS, ELSEWHERE, GIVEN, GROUPS, HOME_TOWNS, RELIGION, SECOND,
                             STREETS)
from pipelines.contract import COLUMNS, DISTRICTS, all_kecamatan_codes, desa_codes, kecamatan_codes


@cache
def district_desa(district: str) -> tuple[tuple[str, str], ...]:
    """(10-digit desa code, name) of a district."""
    return tuple((code, name.upper()) for kec in kecamatan_codes(district) for code, name in desa_codes(kec).items())


@cache
def _outside_banten() -> tuple[str, ...]:
    """Kecamatan of Jakarta, West and Central Java: where most migrants' NIKs were first issued."""
    return tuple(sorted(c for c in all_kecamatan_codes() if c[:2] in ("31", "32", "33")))


def iso(day: dt.date) -> str:
    return day.isoformat()


def date_of(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def age_at(dob: dt.date, night: dt.date) -> int:
    return night.year - dob.year - ((night.month, night.day) < (dob.month, dob.day))


def years_after(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year + years)


class Numbers:
    """NIKs and NO_KKs, unique over everything issued so far (including a base frame's)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self._serial: dict[str, int] = defaultdict(int)

    def reserve(self, numbers) -> None:
        self.used.update(n for n in numbers if n)

    def _issue(self, prefix: str) -> str:
        while True:
            self._serial[prefix] += 1 + (self.rng.random() < 0.2) * self.rng.randint(1, 30)
            number = f"{prefix}{self._serial[prefix] % 10_000 or 1:04d}"
            if number not in self.used:
                self.used.add(number)
                return number

    def nik(self, region: str, dob: dt.date, sex: str) -> str:
        return self._issue(f"{region}{dob.day + (40 if sex == '2' else 0):02d}{dob:%m%y}")

    def kk(self, kecamatan: str, issued: dt.date) -> str:
        return self._issue(f"{kecamatan}{issued:%d%m%y}")


def nik_region(rng: random.Random, kecamatan: str) -> str:
    """Where a NIK was first issued: mostly where the person lives, else elsewhere in Banten or beyond."""
    draw = rng.random()
    if draw < 0.85:
        return kecamatan
    if draw < 0.95:
        return rng.choice(sorted(kecamatan_codes(rng.choice(sorted(DISTRICTS)))))
    return rng.choice(_outside_banten())


def given_name(rng: random.Random, group: str, sex: str) -> str:
    return rng.choice(GIVEN[group][sex])


def full_name(rng: random.Random, group: str, sex: str, family: str | None = None) -> str:
    first = given_name(rng, group, sex)
    if group == "tionghoa":
        return f"{first} {family or rng.choice(SECOND[group])}"
    draw = rng.random()
    if draw < 0.35:
        return first
    if draw < 0.9:
        second = rng.choice(SECOND[group])
        return first if second == first else f"{first} {second}"
    middle = given_name(rng, group, sex)
    return " ".join(dict.fromkeys([first, middle, rng.choice(SECOND[group])]))


def address(rng: random.Random, desa_name: str) -> str:
    street = rng.choice(STREETS)
    if street.startswith("KP."):
        return f"KP. {desa_name.split()[0]} {rng.choice(['TENGAH', 'HILIR', 'GIRANG', 'BARU', 'LEBAK', ''])}".strip()
    return f"{street}{'' if street.endswith(' ') else ' '}{desa_name.split()[-1]} NO. {rng.randint(1, 120)}"


def ektp_fields(rng: random.Random, dob: dt.date, married: bool, night: dt.date) -> dict[str, str]:
    """e-KTP status and recording date as the contract wants them for this age."""
    if age_at(dob, night) < 17 and not married:
        return {"EKTP_CURRENT_STATUS_CODE": "1", "EKTP_CREATED_DATE": ""}
    if rng.random() < 0.03:
        return {"EKTP_CURRENT_STATUS_CODE": "2", "EKTP_CREATED_DATE": ""}
    status = rng.choices("345678", [0.5, 0.08, 0.05, 0.05, 0.05, 0.27])[0]
    earliest = max(years_after(dob, 17 if not married else 15), dt.date(2011, 2, 1))
    return {"EKTP_CURRENT_STATUS_CODE": status, "EKTP_CREATED_DATE": iso(random_day(rng, min(earliest, night), night))}


def person(rng: random.Random, numbers: Numbers, home: dict, *, name: str, sex: str, dob: dt.date,
           relation: str, married: str, father: str, mother: str, religion: str, region: str,
           night: dt.date, person_id: str) -> dict[str, str]:
    """One export row for a person of household `home` (its NO_KK and address columns)."""
    age = age_at(dob, night)
    entry = random_day(rng, max(dob, dt.date(2005, 1, 1)), night)
    education = "1" if age < 7 else "2" if age < 13 else rng.choice("34455678")
    work = "1" if age < 6 else "3" if age < 19 else rng.choice(["2", "7", "9", "11", "15", "19", "64", "88", "89"])
    town = rng.choice(HOME_TOWNS[home["district"]] if rng.random() < 0.7 else ELSEWHERE)
    return {
        "NIK": numbers.nik(region, dob, sex), "NO_KK": home["NO_KK"], "NAMA_LGKP": name, "JENIS_KLMIN": sex,
        "TMPT_LHR": town, "TGL_LHR": iso(dob), "GOL_DRH": rng.choice(["13", "13", "1", "2", "3", "4"]),
        "AGAMA": religion, "STAT_KWN": married, "STAT_HBKEL": relation, "PDDK_AKH": education,
        "JENIS_PKRJN": work, "NAMA_LGKP_IBU": mother, "NAMA_LGKP_AYAH": father,
        **{k: home[k] for k in ("ALAMAT", "NO_RT", "NO_RW", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL")},
        "STAT_HIDUP": "1", **ektp_fields(rng, dob, married != "1", night),
        "TGL_ENTRI": iso(entry), "TGL_UBAH": iso(random_day(rng, entry, night)), "true_person_id": person_id,
    }


def new_home(rng: random.Random, numbers: Numbers, district: str, desa: str, desa_name: str,
             night: dt.date) -> dict[str, str]:
    return {"district": district, "NO_KK": numbers.kk(desa[:6], random_day(rng, dt.date(2005, 1, 1), night)),
            "ALAMAT": address(rng, desa_name), "NO_RT": f"{rng.randint(1, 12):03d}",
            "NO_RW": f"{rng.randint(1, 8):03d}", "NO_PROP": "36", "NO_KAB": district[2:], "NO_KEC": desa[4:6],
            "NO_KEL": desa[6:]}


def _household(rng: random.Random, numbers: Numbers, district: str, night: dt.date, ids) -> list[dict]:
    desa, desa_name = rng.choice(district_desa(district))
    home = new_home(rng, numbers, district, desa, desa_name, night)
    group = rng.choices(GROUPS, DISTRICT_GROUPS[district])[0]
    religion = rng.choices(*RELIGION[group])[0]
    single = rng.random() < 0.12

    def born(age: int) -> dt.date:
        return night - dt.timedelta(days=365 * age + rng.randint(1, 364))

    def add(**kw) -> dict:
        kw.setdefault("region", nik_region(rng, desa[:6]))
        return person(rng, numbers, home, religion=religion, night=night, person_id=next(ids), **kw)

    head_sex = "1" if not single or rng.random() < 0.6 else "2"
    head_age = 20 + int(rng.random() ** 1.4 * 55)
    head_name = full_name(rng, group, head_sex)
    elder = rng.random() < 0.07 and head_age < 55
    head_mother = full_name(rng, group, "2")
    family = head_name.split()[-1] if group == "tionghoa" and head_sex == "1" else None
    married = "1" if single and head_age < 30 else rng.choice("34") if single else "2"
    rows = [add(name=head_name, sex=head_sex, dob=born(head_age), relation="1", married=married,
                father=full_name(rng, group, "1"), mother=head_mother)]
    if elder:
        rows.append(add(name=head_mother, sex="2", dob=born(head_age + rng.randint(18, 35)), relation="7",
                        married="4", father=full_name(rng, group, "1"), mother=full_name(rng, group, "2")))
    mother_age = head_age
    if single:
        father, mother = (head_name, full_name(rng, group, "2")) if head_sex == "1" else (full_name(rng, group, "1"), head_name)
    else:
        mother_age = max(18, head_age - rng.randint(-3, 8))
        mother = full_name(rng, group, "2", family)
        father = head_name
        rows.append(add(name=mother, sex="2", dob=born(mother_age), relation="3", married="2",
                        father=full_name(rng, group, "1"), mother=full_name(rng, group, "2")))
    if single and head_age < 30:
        return rows
    ages = sorted({rng.randint(0, min(mother_age - 18, 30)) for _ in range(rng.choices(range(6), [12, 20, 30, 22, 10, 6])[0])})
    for age in ages:
        sex = rng.choice("12")
        rows.append(add(name=full_name(rng, group, sex, family), sex=sex, dob=born(age), relation="4",
                        married="1", father=father, mother=mother))
    return rows


def generate_population(persons: int, seed: int, night: dt.date) -> pd.DataFrame:
    """`persons` residents in whole households, the contract's columns as text (dates ISO)
    plus `true_person_id`; the same seed gives the same population."""
    rng = random.Random(seed)
    numbers = Numbers(rng)
    ids = (f"p{n}" for n in range(1, 10**9))
    codes = sorted(DISTRICTS)
    weights = [DISTRICTS[c].population for c in codes]
    rows: list[dict] = []
    while len(rows) < persons:
        rows.extend(_household(rng, numbers, rng.choices(codes, weights)[0], night, ids))
    return pd.DataFrame(rows, columns=[*COLUMNS, "true_person_id"])
