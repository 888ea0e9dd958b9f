"""Night-to-night change: moves, births, deaths, e-KTP recordings and edits.

Each (kecamatan, night) has its own Random, consumed household by household in
the chunk's fixed order. What night j draws depends only on the state after
night j-1, so re-deriving night k replays nights 0..k identically and no
per-person state is stored between nights.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from random import Random

from pipelines.contract import DISTRICTS
from pipelines.sample import attributes as attr
from pipelines.sample import names
from pipelines.sample.layout import province
from pipelines.sample.population import Chunk, Household, Person, ddmmyy

P_MOVE = 0.0015  # per household per night: ~0.5% of persons over a few nights
P_BIRTH = 0.0006  # per family with a wife of 18-44: ~16 births per 1000 a year
P_ADDRESS = 0.001  # family re-numbered or address corrected
P_EKTP_RECORD = 0.004  # per unrecorded wajib-KTP person
P_CHANGE = 0.0085  # any other edit; with the above ~1% of records change per night
P_MOVED_NAME_VARIANT = 0.2  # the new district types a member's name differently
P_TYPO = 0.0005  # one digit of the NIK wrong in one night's export


def evolve(hh: Household, j: int, night: dt.date, rng: Random, chunk: Chunk) -> Household:
    """Apply night j's events; returns the family's current household (a new
    one after a move out of the district)."""
    u = rng.random()
    if hh.moved_night >= 0:
        return hh  # the family is frozen after a move; keeps the replay simple
    if u < P_MOVE:
        return _move(hh, j, night, rng, chunk) or hh
    if j == 0:
        return hh  # night 0 is the generated base state
    n = night.toordinal()
    if u < P_MOVE + P_BIRTH:
        _birth(hh, j, night, rng, chunk)
    elif u < P_MOVE + P_BIRTH + P_ADDRESS:
        hh.alamat = names.address(rng, hh.desa[1], hh.kec.urban)
        hh.rt, hh.rw = names.rt_rw(rng)
        for p in hh.members:
            p.ubah = n
    for p in hh.members:
        _person(p, j, night, n, rng)
    return hh


def _person(p: Person, j: int, night: dt.date, n: int, rng: Random) -> None:
    u = rng.random()
    if p.fix_night == j:
        p.shown_name, p.ubah = p.name, n
    if not p.alive:
        return
    age = p.age(night)
    death = 4e-4 if age >= 75 else 1e-4 if age >= 60 else 6e-6  # ~6.5 per 1000 a year
    if u < death:
        p.alive, p.ubah = False, n
    elif p.ektp == 2 and u < death + P_EKTP_RECORD:
        p.ektp, p.ektp_date, p.ubah = 3, n, n
    elif u > 1 - P_CHANGE:
        _edit(p, age, rng)
        p.ubah = n


def _edit(p: Person, age: int, rng: Random) -> None:
    v = rng.random()
    if v < 0.35 and 3 <= p.ektp < 8:
        p.ektp = 8 if rng.random() < 0.7 else p.ektp + 1  # card printed, shipped, issued
    elif v < 0.55 and age >= 16 and int(p.pddk) < 10:
        p.pddk = str(int(p.pddk) + 1)
    elif v < 0.75 and age >= 17:
        p.pkrjn = (attr.WORK_URBAN if rng.random() < 0.5 else attr.WORK_RURAL).draw(rng)
    elif v < 0.85 and age >= 19 and p.kwn == "1":
        p.kwn = "2"  # married: now wajib KTP whatever the age
        if p.ektp == 1:
            p.ektp = 2
    elif p.gol == "13" and rng.random() < 0.5:
        p.gol = attr.BLOOD.draw(rng)


def _move(hh: Household, j: int, night: dt.date, rng: Random, chunk: Chunk) -> Household | None:
    """The family moves to another district: new card (NO_KK) and address there;
    the old district keeps listing them for 1-3 nights."""
    kecs = province(chunk.seed)
    weights = [(d.population if d.code != hh.kec.district else 0) for d in DISTRICTS.values()]
    district = rng.choices(list(DISTRICTS), weights)[0]
    dest = names.pick(rng, [k for k in kecs if k.district == district])
    desa = dest.pick_desa(rng)
    lag = 1 + int(rng.random() * 3)
    alamat = names.address(rng, desa[1], dest.urban)
    rt, rw = names.rt_rw(rng)
    variants = {i: names.variant(rng, p.name) for i, p in enumerate(hh.members)
                if rng.random() < P_MOVED_NAME_VARIANT}
    serial = chunk.serials.foreign("kk", dest.code, ddmmyy(night))
    if serial is None:
        return None
    hh.moved_night = j
    return replace(hh, kec=dest, desa=desa, kk=dest.code + ddmmyy(night) + serial, alamat=alamat, rt=rt, rw=rw,
                   moved_night=j, lag=lag, origin=hh, entered=night.toordinal(), name_variants=variants)


def _birth(hh: Household, j: int, night: dt.date, rng: Random, chunk: Chunk) -> None:
    """A baby registered on the family card, born within 30 days of the night."""
    mother = next((p for p in hh.members if p.sex == "2" and p.kwn == "2" and p.alive
                   and p.hbkel in ("1", "3") and 18 <= p.age(night) <= 44), None)
    if mother is None:
        return
    father = next((p for p in hh.members if p.sex == "1" and p.hbkel in ("1", "2")), None)
    birth = dt.date.fromordinal(night.toordinal() - 1 - int(rng.random() * 29))
    sex = "1" if rng.random() < 0.51 else "2"
    serial = chunk.serials.newborn(ddmmyy(birth), j)
    if serial is None:
        return
    n = night.toordinal()
    name = names.given_name(rng, sex, birth.year, mother.agama)
    nik = hh.kec.code + ddmmyy(birth, sex == "2") + serial
    baby = Person(f"P{hh.kec.code}{hh.index:06d}{10 + hh.births:02d}", nik, sex, birth, name,
                  names.birthplace(rng, hh.kec.district), mother.agama, "1", "4", names.plain(mother.name),
                  names.plain(father.name) if father else names.given_name(rng, "1", birth.year - 28, mother.agama),
                  entri=n, ubah=n, shown_nik=nik, shown_name=name)
    hh.births += 1
    hh.members.append(baby)


def typo(nik: str, rng: Random) -> str:
    """One digit of the NIK mistyped."""
    i = int(rng.random() * 16)
    digit = str((int(nik[i]) + 1 + int(rng.random() * 9)) % 10)
    return nik[:i] + digit + nik[i + 1:]
