"""Second registrations and hard negatives on top of a clean base, and a second night.

Every person of the base is used for at most one role (one duplicate class, or
one hard negative), so each pair of records measures exactly one thing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from catalogue import variations
from catalogue.names import GIVEN, SIMILAR_GIVEN
from catalogue.population import (Numbers, age_at, date_of, district_desa, ektp_fields, full_name, iso,
                                  new_home, nik_region, random_day, years_after)
from pipelines.contract import COLUMNS, DISTRICTS, all_kecamatan_codes

# Share of base persons that get a second registration of each class (this
# catalogue's own choice: a few per thousand each, so that every class has
# about a hundred pairs at 50 000 persons).
DUPLICATE_RATES: dict[str, float] = {
    "same_kk_duplicate": 0.0025,
    "old_spelling": 0.003,
    "title": 0.0025,
    "initial_given_name": 0.002,
    "dropped_letter": 0.002,
    "doubled_letter": 0.002,
    "transposed_letters": 0.002,
    "dropped_last_word": 0.002,
    "day_month_swapped": 0.002,
    "keyboard_typo": 0.002,
    "ocr_typo": 0.0015,
    "phonetic": 0.003,
    "missing_parents": 0.002,
    "missing_birth_place": 0.002,
    "new_address": 0.003,
    "new_kk": 0.003,
    "new_nik": 0.002,
    "dob_typo": 0.002,
    "mover_same_nik": 0.003,
    "mover_mistyped_nik": 0.002,
    "mix": 0.004,  # two of the classes above at once
}
MIX_SECOND = (*variations.NAME_CLASSES, *variations.DATE_CLASSES, "missing_parents", "missing_birth_place",
              "new_address", "new_nik")

# Share of base persons drawn into each kind of hard negative (new persons are added for them).
NEGATIVE_RATES: dict[str, float] = {
    "twin": 0.004,
    "similar_sibling": 0.002,  # recorded as kind "sibling", with every other pair of siblings on a card
    "junior": 0.002,
    "namesake": 0.002,
    "nik_collision": 0.0015,
}

# Second night: shares of persons whose records change.
NIGHT2_RATES: dict[str, float] = {"move": 0.003, "lag_kept": 0.4, "death": 0.001, "birth": 0.0015,
                                  "correction": 0.002, "ektp_recorded": 0.001}

MOVERS = ("mover_same_nik", "mover_mistyped_nik")
_TRUTH = ("true_person_id", "anomaly", "variation", "hard_negative")


@dataclass
class Catalogue:
    nights: dict[dt.date, pd.DataFrame]  # the contract's columns as text (dates ISO) + truth columns
    negatives: pd.DataFrame  # person_a, person_b, kind
    counts: dict[str, int] = field(default_factory=dict)  # duplicates / negatives made per class or kind


def _district(record: dict) -> str:
    return "36" + record["NO_KAB"]


def _desa(record: dict) -> str:
    return "36" + record["NO_KAB"] + record["NO_KEC"] + record["NO_KEL"]


class _Builder:
    def __init__(self, base: pd.DataFrame, seed: int, night: dt.date):
        self.rng = random.Random(seed)
        self.night = night
        self.records: list[dict] = [
            {**row, "anomaly": "", "variation": "", "hard_negative": ""} for row in _clean_base(base)]
        self.numbers = Numbers(self.rng)
        self.numbers.reserve(r["NIK"] for r in self.records)
        self.numbers.reserve(r["NO_KK"] for r in self.records)
        self.homes: dict[str, dict] = {}  # NO_KK -> the card's address columns
        self.homes_in: dict[str, list[str]] = defaultdict(list)  # desa or district -> NO_KKs
        for r in self.records:
            self._learn_home(r)
        self.used: set[str] = set()
        self.negatives: list[tuple[str, str, str]] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.order = list(range(len(self.records)))
        self.rng.shuffle(self.order)
        self._ids = (f"c{n}" for n in range(1, 10**9))

    def _learn_home(self, r: dict) -> None:
        if r["NO_KK"] not in self.homes:
            self.homes[r["NO_KK"]] = {k: r[k] for k in ("NO_KK", "ALAMAT", "NO_RT", "NO_RW", "NO_PROP", "NO_KAB",
                                                         "NO_KEC", "NO_KEL")} | {"district": _district(r)}
            self.homes_in[_desa(r)].append(r["NO_KK"])
            self.homes_in[_district(r)].append(r["NO_KK"])

    # -- picking ---------------------------------------------------------------
    def _pick(self, rate: float, make, kind: str) -> None:
        """Apply `make(record)` to unused base persons until rate × base have succeeded."""
        wanted = round(rate * len(self.order))
        for i in self.order:
            if self.counts[kind] >= wanted:
                return
            record = self.records[i]
            if record["true_person_id"] in self.used or record["STAT_HIDUP"] != "1":
                continue
            if make(record):
                self.used.add(record["true_person_id"])
                self.counts[kind] += 1

    def _age(self, record: dict) -> int:
        return age_at(date_of(record["TGL_LHR"]), self.night)

    def _home(self, record: dict, where: str) -> dict:
        """A card for a second entry: another card in the same desa ("desa"), in another desa
        of the district ("district") or in another district ("elsewhere"); a new card when
        there is none."""
        here = _district(record)
        if where == "elsewhere":
            district = self.rng.choice(sorted(set(DISTRICTS) - {here}))
            options = self.homes_in[district]
        elif where == "district":
            district = here
            options = [kk for kk in self.homes_in[here] if _desa(self.homes[kk]) != _desa(record)]
        else:
            district = here
            options = [kk for kk in self.homes_in[_desa(record)] if kk != record["NO_KK"]]
        if options:
            return self.homes[self.rng.choice(options)]
        names = dict(district_desa(district))
        desa = _desa(record) if where == "desa" else self.rng.choice(sorted(names))
        return new_home(self.rng, self.numbers, district, desa, names.get(desa, ""), self.night)

    def _move_into(self, record: dict, home: dict) -> None:
        """`record` joins card `home` as a relative, or heads it when the card is new."""
        record.update({k: v for k, v in home.items() if k != "district"})
        record["STAT_HBKEL"] = "9" if home["NO_KK"] in self.homes else "1"
        self._learn_home(record)

    def _new_person(self, record: dict, **changes) -> dict:
        """A person who is not in the base, added to tonight's records."""
        person = {**record, "anomaly": "", **changes, "true_person_id": next(self._ids), "variation": "",
                  "hard_negative": ""}
        self.used.add(person["true_person_id"])
        self.records.append(person)
        return person

    def _negative(self, a: dict, b: dict, kind: str) -> None:
        self.negatives.append((a["true_person_id"], b["true_person_id"], kind))

    def _region(self, record: dict) -> str:
        return nik_region(self.rng, record["NO_PROP"] + record["NO_KAB"] + record["NO_KEC"])

    # -- hard negatives --------------------------------------------------------
    def twin(self, record: dict) -> bool:
        if record["STAT_HBKEL"] != "4" or self._age(record) > 40:
            return False
        sex = record["JENIS_KLMIN"] if self.rng.random() < 0.6 else self.rng.choice("12")
        first, *rest = record["NAMA_LGKP"].split()
        if sex == record["JENIS_KLMIN"] and self.rng.random() < 0.4:
            first, other = self.rng.choice(SIMILAR_GIVEN[sex])
            record["NAMA_LGKP"] = " ".join([first, *rest])
        else:
            other = self.rng.choice([g for group in GIVEN.values() for g in group[sex] if g != first])
        dob = date_of(record["TGL_LHR"])
        twin = self._new_person(record, NAMA_LGKP=" ".join([other, *rest]), JENIS_KLMIN=sex,
                                NIK=self.numbers.nik(record["NIK"][:6], dob, sex), anomaly="twin")
        record["anomaly"] = "twin"
        self._negative(record, twin, "twin")
        return True

    def similar_sibling(self, record: dict) -> bool:
        if record["STAT_HBKEL"] != "4" or self._age(record) > 35 or self._age(record) < 3:
            return False
        sex = record["JENIS_KLMIN"]
        first, *rest = record["NAMA_LGKP"].split()
        first, other = self.rng.choice(SIMILAR_GIVEN[sex])[:: self.rng.choice((1, -1))]
        record["NAMA_LGKP"] = " ".join([first, *rest])
        dob = date_of(record["TGL_LHR"]) - dt.timedelta(days=self.rng.randint(330, 4 * 365))
        self._new_person(record, NAMA_LGKP=" ".join([other, *rest]), TGL_LHR=iso(dob),
                         NIK=self.numbers.nik(self._region(record), dob, sex),
                         **ektp_fields(self.rng, dob, False, self.night))
        return True  # the pair is recorded by siblings()

    def junior(self, record: dict) -> bool:
        if record["STAT_HBKEL"] != "1" or record["JENIS_KLMIN"] != "1" or not 40 <= self._age(record) <= 75:
            return False
        father_dob = date_of(record["TGL_LHR"])
        dob = random_day(self.rng, years_after(father_dob, 18), min(years_after(father_dob, 35), self.night - dt.timedelta(days=365 * 17)))
        wife = [r["NAMA_LGKP"] for r in self.records if r["NO_KK"] == record["NO_KK"] and r["STAT_HBKEL"] == "3"]
        mother = wife[0] if wife else full_name(self.rng, "arab", "2")
        son = self._new_person(record, TGL_LHR=iso(dob), NIK=self.numbers.nik(self._region(record), dob, "1"),
                               NAMA_LGKP_AYAH=record["NAMA_LGKP"], NAMA_LGKP_IBU=mother, STAT_HBKEL="4",
                               STAT_KWN="1", **ektp_fields(self.rng, dob, False, self.night))
        if self.rng.random() < 0.3:
            self._move_into(son, self._home(son, "desa"))
        self._negative(record, son, "junior")
        return True

    def namesake(self, record: dict) -> bool:
        if self._age(record) < 17:
            return False
        dob = date_of(record["TGL_LHR"])
        sex = record["JENIS_KLMIN"]
        other = self._new_person(record, NIK=self.numbers.nik(self._region(record), dob, sex),
                                 NAMA_LGKP_AYAH=self._other_name(record["NAMA_LGKP_AYAH"], "1"),
                                 NAMA_LGKP_IBU=self._other_name(record["NAMA_LGKP_IBU"], "2"))
        self._move_into(other, self._home(record, "desa"))
        self._negative(record, other, "namesake")
        return True

    def _other_name(self, name: str, sex: str) -> str:
        while True:
            other = full_name(self.rng, self.rng.choice(["sunda", "jawa", "arab"]), sex)
            if other != name:
                return other

    def nik_collision(self, record: dict) -> bool:
        """Another person of the base, in this district or another, is exported under this person's NIK."""
        same_district = self.rng.random() < 0.5
        for _ in range(1000):
            other = self.records[self.rng.choice(self.order)]
            if other["true_person_id"] not in self.used and other["NO_KK"] != record["NO_KK"] \
                    and other["true_person_id"] != record["true_person_id"] \
                    and same_district == (_district(other) == _district(record)):
                other["NIK"], other["anomaly"] = record["NIK"], "shared_nik"
                self.used.add(other["true_person_id"])
                self._negative(record, other, "nik_collision")
                return True
        return False

    def siblings(self) -> None:
        """Every pair of children of one card with the same parents and different birth dates."""
        children = defaultdict(list)
        for r in self.records:
            if r["STAT_HBKEL"] == "4" and not r["variation"]:
                children[(r["NO_KK"], r["NAMA_LGKP_AYAH"], r["NAMA_LGKP_IBU"])].append(r)
        for group in children.values():
            for a, b in combinations(group, 2):
                if a["TGL_LHR"] != b["TGL_LHR"]:
                    self._negative(a, b, "sibling")

    # -- second registrations --------------------------------------------------
    def _vary(self, dup: dict, cls: str) -> bool:
        """Apply one variation class to the copy; False when it cannot apply."""
        name, dob = dup["NAMA_LGKP"], date_of(dup["TGL_LHR"])
        if cls == "title":
            varied = variations.title(name, self.rng, dup["JENIS_KLMIN"], age_at(dob, self.night))
        elif cls in variations.NAME_CLASSES:
            varied = getattr(variations, cls)(name, self.rng)
        elif cls == "day_month_swapped":
            varied = variations.day_month_swapped(dob, self.rng)
        elif cls == "dob_typo":
            varied = variations.dob_typo(dob, self.rng, self.night)
        elif cls == "missing_parents":
            if not (dup["NAMA_LGKP_IBU"] and dup["NAMA_LGKP_AYAH"]):
                return False
            blank = self.rng.choice([("NAMA_LGKP_IBU", "NAMA_LGKP_AYAH")] * 2 + [("NAMA_LGKP_IBU",), ("NAMA_LGKP_AYAH",)])
            dup.update(dict.fromkeys(blank, ""))
            return True
        elif cls == "missing_birth_place":
            if not dup["TMPT_LHR"]:
                return False
            dup["TMPT_LHR"] = ""
            return True
        else:  # new_address, new_nik, new_kk: where and under which number, below
            return True
        if varied is None or (cls in variations.NAME_CLASSES and len(varied.replace(" ", "")) < 3):
            return False
        if cls in variations.DATE_CLASSES:
            dup["TGL_LHR"] = iso(varied)
        else:
            dup["NAMA_LGKP"] = varied
        return True

    def second_registration(self, record: dict, classes: tuple[str, ...]) -> bool:
        dup = dict(record)
        # a title goes on last, around whatever spelling the desk used
        if not all(self._vary(dup, cls) for cls in sorted(classes, key=lambda c: c == "title")):
            return False
        if any(c in variations.NAME_CLASSES for c in classes) and dup["NAMA_LGKP"] == record["NAMA_LGKP"]:
            return False  # two name variations that undo each other
        dob = date_of(dup["TGL_LHR"])
        kind = classes[0]
        if kind in MOVERS:
            self._move_into(dup, self._home(record, "elsewhere"))
            if kind == "mover_mistyped_nik":
                dup["NIK"] = self._mistyped(record["NIK"])
                dup["anomaly"] = record["anomaly"] = "double_nik"
            dup["TGL_ENTRI"] = dup["TGL_UBAH"] = iso(random_day(self.rng, self.night - dt.timedelta(days=60), self.night))
        else:
            if kind != "same_kk_duplicate":
                where = "desa" if "new_address" not in classes else self.rng.choice(["district", "elsewhere", "elsewhere"])
                self._move_into(dup, self._home(record, where))
            region = record["NIK"][:6]
            if "new_nik" in classes and self.rng.random() < 0.85:
                region = self.rng.choice(sorted(all_kecamatan_codes() - {region}) if self.rng.random() < 0.2 else
                                         [c for c in self._banten_kecamatan() if c != region])
            dup["NIK"] = self.numbers.nik(region, dob, dup["JENIS_KLMIN"])
            dup["anomaly"] = record["anomaly"] = "double_nik"
            entry = random_day(self.rng, date_of(record["TGL_ENTRI"]), self.night)
            dup["TGL_ENTRI"], dup["TGL_UBAH"] = iso(entry), iso(random_day(self.rng, entry, self.night))
            # biometrics stop a second recording: a second entry is never recorded
            wajib = age_at(dob, self.night) >= 17 or dup["STAT_KWN"] != "1"
            dup.update(EKTP_CURRENT_STATUS_CODE="2" if wajib else "1", EKTP_CREATED_DATE="")
        dup["variation"] = ";".join(classes)
        self.records.append(dup)
        return True

    def _banten_kecamatan(self) -> list[str]:
        return sorted({self.homes[kk]["NO_PROP"] + self.homes[kk]["NO_KAB"] + self.homes[kk]["NO_KEC"] for kk in self.homes})

    def _mistyped(self, nik: str) -> str:
        while True:
            i = self.rng.randrange(6, 16)
            typed = nik[:i] + self.rng.choice([d for d in "0123456789" if d != nik[i]]) + nik[i + 1:]
            if typed[12:] != "0000" and typed not in self.numbers.used:
                self.numbers.used.add(typed)
                return typed

    def mix(self, record: dict) -> bool:
        first = self.rng.choice(variations.NAME_CLASSES)
        second = self.rng.choice([c for c in MIX_SECOND if c != first])
        return self.second_registration(record, (first, second))

    def build(self, duplicate_rates: dict[str, float], negative_rates: dict[str, float]) -> None:
        for kind, rate in negative_rates.items():
            self._pick(rate, getattr(self, kind), kind)
        self.siblings()
        for cls, rate in duplicate_rates.items():
            make = self.mix if cls == "mix" else (lambda r, c=cls: self.second_registration(r, (c,)))
            self._pick(rate, make, cls)

    # -- later nights ---------------------------------------------------------
    def next_night(self, night: dt.date, rates: dict[str, float]) -> list[dict]:
        """The previous night's records after a small share of residents changed."""
        rng, self.night = self.rng, night
        self.records = [dict(r) for r in self.records]
        by_person = defaultdict(list)
        for r in self.records:
            by_person[r["true_person_id"]].append(r)
        gone: set[int] = set()
        for r in self.records:  # the old district catches up with most movers
            if r["variation"].startswith("mover"):
                for old in by_person[r["true_person_id"]]:
                    if old is not r and rng.random() > rates["lag_kept"]:
                        gone.add(id(old))
        single = [r for r in self.records if len(by_person[r["true_person_id"]]) == 1
                  and r["true_person_id"] not in self.used and r["STAT_HIDUP"] == "1"]
        rng.shuffle(single)
        n = len(single)
        movers, rest = single[:round(rates["move"] * n)], single[round(rates["move"] * n):]
        for r in movers:
            moved = dict(r, variation="mover_same_nik", TGL_ENTRI=iso(night), TGL_UBAH=iso(night))
            self._move_into(moved, self._home(r, "elsewhere"))
            self.records.append(moved)
            self.used.add(r["true_person_id"])
            if rng.random() > rates["lag_kept"]:
                gone.add(id(r))
        for r in [x for x in rest if self._age(x) >= 60][:round(rates["death"] * n)]:
            r.update(STAT_HIDUP="2", TGL_UBAH=iso(night))
        for r in rest[len(rest) - round(rates["correction"] * n):]:
            r.update(ALAMAT=f"{r['ALAMAT']} BLOK {rng.choice('ABCD')}", PDDK_AKH=rng.choice("45678"), TGL_UBAH=iso(night))
        for r in [x for x in rest if x["EKTP_CURRENT_STATUS_CODE"] == "2"][:round(rates["ektp_recorded"] * n)]:
            r.update(EKTP_CURRENT_STATUS_CODE="3", EKTP_CREATED_DATE=iso(night), TGL_UBAH=iso(night))
        heads = {r["NO_KK"]: r["NAMA_LGKP"] for r in self.records if r["STAT_HBKEL"] == "1"}
        mothers = [r for r in rest if r["STAT_HBKEL"] == "3" and 20 <= self._age(r) <= 42]
        for mother in mothers[:round(rates["birth"] * n)]:
            dob = night - dt.timedelta(days=rng.randint(0, 40))
            sex = rng.choice("12")
            self._new_person(mother, NAMA_LGKP=full_name(rng, rng.choice(["sunda", "jawa", "arab"]), sex),
                             JENIS_KLMIN=sex, TGL_LHR=iso(dob), NIK=self.numbers.nik(self._region(mother), dob, sex),
                             STAT_HBKEL="4", STAT_KWN="1", NAMA_LGKP_IBU=mother["NAMA_LGKP"],
                             NAMA_LGKP_AYAH=heads.get(mother["NO_KK"], ""), PDDK_AKH="1", JENIS_PKRJN="1",
                             TGL_ENTRI=iso(night), TGL_UBAH=iso(night), EKTP_CURRENT_STATUS_CODE="1",
                             EKTP_CREATED_DATE="")
        self.records = [r for r in self.records if id(r) not in gone]
        return self.records


def _clean_base(base: pd.DataFrame) -> list[dict]:
    """A base frame as text records with ISO dates and a person id each."""
    frame = base.copy()
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"base records lack contract columns: {', '.join(missing)}")
    frame = frame[[*COLUMNS, *(["true_person_id"] if "true_person_id" in frame.columns else [])]].astype("string").fillna("")
    for column in ("TGL_LHR", "EKTP_CREATED_DATE", "TGL_ENTRI", "TGL_UBAH"):
        parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        parsed = parsed.fillna(pd.to_datetime(frame[column], format="%d-%m-%Y", errors="coerce"))
        frame[column] = parsed.dt.strftime("%Y-%m-%d").fillna("")
    if "true_person_id" not in frame.columns:
        frame["true_person_id"] = [f"b{i}" for i in range(1, len(frame) + 1)]
    return frame.to_dict("records")


def build_catalogue(base: pd.DataFrame, nights: list[dt.date], seed: int = 1,
                    duplicate_rates: dict[str, float] = DUPLICATE_RATES,
                    negative_rates: dict[str, float] = NEGATIVE_RATES,
                    night2_rates: dict[str, float] = NIGHT2_RATES) -> Catalogue:
    """Second registrations and hard negatives added to `base` (one clean row per person:
    the contract's columns, optionally `true_person_id`) for the first night, then each
    later night with a small share of residents changed."""
    builder = _Builder(base, seed, nights[0])
    builder.build(duplicate_rates, negative_rates)
    frames = {nights[0]: _frame(builder.records)}
    for night in nights[1:]:
        frames[night] = _frame(builder.next_night(night, night2_rates))
    kinds = defaultdict(set)
    for a, b, kind in builder.negatives:
        kinds[a].add(kind)
        kinds[b].add(kind)
    for frame in frames.values():
        frame["hard_negative"] = [";".join(sorted(kinds.get(p, ()))) for p in frame["true_person_id"]]
    negatives = pd.DataFrame(builder.negatives, columns=["person_a", "person_b", "kind"])
    return Catalogue(frames, negatives, dict(builder.counts))


def _frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=[*COLUMNS, *_TRUTH])
