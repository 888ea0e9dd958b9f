"""An arrears register written independently of pipelines/sample, for evaluation only.

Owners are residents already loaded in the warehouse (warehouse.person), so
the truth is the warehouse's own person_id; the noise is this module's own,
at its own rates, modelled on what a revenue office's register looks like:
one mistyped NIK digit anywhere (a serial, region or birth digit), NIKs with
separators or lost, birth dates missing, written day-first or with day and
month swapped, names with titles, initials, old spellings, a dropped letter or
word, stale addresses and registration areas, companies, owners from outside
Banten who share a resident's name, and strangers whose NIK is a resident's
with one serial digit off (born the same day in the same kecamatan, living
elsewhere now): they must never be MATCHED.

Nothing here feeds the matcher: it writes a register file and a truth file,
and measures a stored run against that truth.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from random import Random

import pandas as pd
from bapenda_eval import FOUND, Accuracy, run_rows

from pipelines.contract import DISTRICTS, kecamatan_codes

COLUMNS = ("NO_POLISI", "JENIS_PEMILIK", "NAMA_PEMILIK", "NIK_PEMILIK", "TGL_LHR_PEMILIK", "ALAMAT_PEMILIK",
           "KAB_KOTA_DAFTAR", "KEC_DAFTAR", "TUNGGAKAN_RP", "BULAN_TUNGGAK")
# Shares of the rows by kind of owner; the rest are residents.
SHARE_COMPANY, SHARE_OUTSIDE, SHARE_NEIGHBOUR = 0.07, 0.06, 0.04
# A resident's register row: how often each field is noisy.
P_NIK = {"exact": 0.40, "typo": 0.22, "formatted": 0.06, "missing": 0.32}
P_BIRTH_GIVEN, P_BIRTH_SWAPPED, P_BIRTH_TYPO = 0.45, 0.10, 0.04
P_NAME_VARIANT = 0.45
P_ADDRESS = {"current": 0.45, "stale": 0.35, "empty": 0.20}
P_AREA = {"current": 0.62, "other": 0.28, "blank": 0.10}
OUTSIDE_REGIONS = ("317101", "317304", "320105", "327503", "327106", "330208", "180106", "337402")
OUTSIDE_PLACES = ("KOTA ADM. JAKARTA PUSAT", "JAKARTA BARAT", "KAB BOGOR", "KOTA BEKASI", "KOTA DEPOK",
                  "KAB. CILACAP", "LAMPUNG SELATAN", "SEMARANG")
COMPANIES = ("PT. BANTEN INTI LOGAM", "PT BUMI ANYER PERKASA", "CV. TIRTA KENCANA", "CV SINAR PANDAWA",
             "KOPERASI KARYAWAN CIPTA", "YAYASAN NURUL FALAH", "PT. SURYA MAS TRANSPORTINDO", "CV. MEKAR ABADI")
PREFIX_TITLES = {"1": ("H.", "DRS.", "IR.", "KH."), "2": ("HJ.", "DRA.", "NY.")}
SUFFIX_TITLES = (", S.PD", ", S.E.", ", S.H", " SKM", ", A.MD")
# Pre-1972 spellings a registrar may still write: modern -> old.
OLD_SPELLINGS = (("U", "OE"), ("J", "DJ"), ("C", "TJ"), ("Y", "J"), ("KH", "CH"))


@dataclass(frozen=True)
class Resident:
    person_id: str
    nik: str
    name: str
    birth: dt.date
    sex: str
    district: str
    kecamatan: str
    address: str


def residents(cur, as_of: dt.date) -> list[Resident]:
    """Adults (17 and over at `as_of`) in the warehouse, in a stable order."""
    cur.execute("""SELECT person_id, nik, nama_lgkp, tgl_lhr, jenis_klmin, district_code, kecamatan_code,
                          coalesce(alamat, ''), coalesce(no_rt, ''), coalesce(no_rw, '')
                   FROM warehouse.person WHERE tgl_lhr <= %s ORDER BY person_id""",
                (as_of.replace(year=as_of.year - 17),))
    out = []
    for pid, nik, name, birth, sex, district, kec, alamat, rt, rw in cur.fetchall():
        address = f"{alamat} RT {rt}/RW {rw}" if rt and rw else alamat
        out.append(Resident(pid, nik, name, birth, sex, district, kec, address))
    return out


def _pick(rng: Random, shares: dict[str, float]) -> str:
    u, total = rng.random(), 0.0
    for key, share in shares.items():
        total += share
        if u < total:
            return key
    return key


def _digit_off(rng: Random, nik: str, positions: range) -> str:
    """The NIK with one digit, at one of `positions` (0-based), replaced by another."""
    i = rng.choice(list(positions))
    return nik[:i] + rng.choice([d for d in "0123456789" if d != nik[i]]) + nik[i + 1:]


def _nik(rng: Random, r: Resident) -> tuple[str, str]:
    kind = _pick(rng, P_NIK)
    if kind == "exact":
        return r.nik, kind
    if kind == "typo":
        typo = _digit_off(rng, r.nik, range(16))
        return typo, f"typo@{_part(typo, r.nik)}"
    if kind == "formatted":  # spaces or dots as written on a form; still the same 16 digits
        sep = rng.choice((" ", ".", "-"))
        return sep.join((r.nik[:6], r.nik[6:12], r.nik[12:])), kind
    return "", kind


def _part(a: str, b: str) -> str:
    i = next(k for k in range(16) if a[k] != b[k])
    return "region" if i < 6 else "birth" if i < 12 else "serial"


def _birth(rng: Random, birth: dt.date) -> tuple[str, str]:
    if rng.random() >= P_BIRTH_GIVEN:
        return "", "missing"
    day_first = rng.random() < 0.5
    u = rng.random()
    if u < P_BIRTH_SWAPPED and birth.day <= 12 and birth.day != birth.month:
        birth, noise = birth.replace(month=birth.day, day=birth.month), "swapped"
    elif u < P_BIRTH_SWAPPED + P_BIRTH_TYPO:
        shifted = birth.replace(year=birth.year + rng.choice((-10, -1, 1, 10))) if (birth.month, birth.day) != (2, 29) \
            else birth
        birth, noise = shifted, "typo"
    else:
        noise = "exact"
    return (f"{birth:%d-%m-%Y}" if day_first else birth.isoformat()), noise


def _name(rng: Random, r: Resident) -> tuple[str, str]:
    tokens = r.name.split()
    if rng.random() >= P_NAME_VARIANT or not tokens:
        return r.name, "exact"
    kinds = ["title", "old_spelling", "dropped_letter", "case_spacing"]
    if len(tokens) >= 2:
        kinds += ["given_initial", "dropped_word"]
    if len(tokens) >= 3:
        kinds.append("middle_initial")
    kind = rng.choice(kinds)
    if kind == "title":
        name = (f"{rng.choice(PREFIX_TITLES[r.sex])} {r.name}" if rng.random() < 0.6
                else r.name + rng.choice(SUFFIX_TITLES))
    elif kind == "old_spelling":
        options = [(new, old) for new, old in OLD_SPELLINGS if new in r.name]
        new, old = rng.choice(options) if options else ("", "")
        name = r.name.replace(new, old, 1) if new else r.name
    elif kind == "dropped_letter":
        i = rng.choice([k for k, t in enumerate(tokens) if len(t) > 3] or [0])
        j = rng.randrange(1, max(2, len(tokens[i])))
        tokens[i] = tokens[i][:j] + tokens[i][j + 1:]
        name = " ".join(tokens)
    elif kind == "case_spacing":
        name = "  ".join(t.title() for t in tokens)
    elif kind == "given_initial":
        name = " ".join([tokens[0][0] + ".", *tokens[1:]])
    elif kind == "dropped_word":
        name = " ".join(tokens[:-1])
    else:  # middle_initial
        name = " ".join([tokens[0], tokens[1][0] + ".", *tokens[2:]])
    return name, kind


def _kab_name(rng: Random, code: str) -> str:
    name = DISTRICTS[code].name.upper()  # "KAB. LEBAK", "KOTA SERANG"
    bare = name.split(" ", 1)[1]
    if code[2] == "7":
        return rng.choice((name, f"KOTA {bare}", name.title()))
    return rng.choice((name, f"KABUPATEN {bare}", f"KAB {bare}", bare))


def _resident_row(rng: Random, r: Resident, others: list[Resident]) -> tuple[list[str], dict]:
    nik, nik_noise = _nik(rng, r)
    birth, birth_noise = _birth(rng, r.birth)
    name, name_noise = _name(rng, r)
    address_kind = _pick(rng, P_ADDRESS)
    stranger = rng.choice(others)
    address = {"current": r.address, "stale": stranger.address, "empty": ""}[address_kind]
    area = _pick(rng, P_AREA)
    district = {"current": r.district, "other": rng.choice([d for d in DISTRICTS if d != r.district]),
                "blank": ""}[area]
    kec = kecamatan_codes(r.district).get(r.kecamatan, "").upper() if area == "current" and rng.random() < 0.6 \
        else ""
    row = ["PRIBADI", name, nik, birth, address, _kab_name(rng, district) if district else "", kec]
    digits = "".join(c for c in nik if c.isdigit())
    truth = {"person_id": r.person_id, "kind": "resident", "identified": "Y" if len(digits) == 16 or birth else "N",
             "nik": nik_noise, "name": name_noise, "birth": birth_noise, "address": address_kind, "area": area}
    return row, truth


def _company_row(rng: Random) -> tuple[list[str], dict]:
    name = rng.choice(COMPANIES)
    jenis = "BADAN" if rng.random() < 0.75 else "PRIBADI"  # a dealer's clerk ticks the wrong box
    return ([jenis, name, "", "", f"KAWASAN INDUSTRI BLOK {rng.choice('ABCDE')}{rng.randint(1, 40)}",
             _kab_name(rng, rng.choice(list(DISTRICTS))), ""], {"kind": "company"})


def _outside_row(rng: Random, namesake: Resident) -> tuple[list[str], dict]:
    """An owner living outside Banten, named like a resident (common names repeat)."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20_000))
    day = birth.day + (40 if namesake.sex == "2" else 0)
    nik = f"{rng.choice(OUTSIDE_REGIONS)}{day:02d}{birth:%m%y}{rng.randint(1, 30):04d}" if rng.random() < 0.6 else ""
    given = birth.isoformat() if rng.random() < 0.4 else ""
    return (["PRIBADI", namesake.name, nik, given, f"JL. MERDEKA NO {rng.randint(1, 200)}",
             rng.choice(OUTSIDE_PLACES) if rng.random() < 0.5 else _kab_name(rng, rng.choice(list(DISTRICTS))), ""],
            {"kind": "outside"})


def _neighbour_row(rng: Random, r: Resident, other: Resident, taken: set[str]) -> tuple[list[str], dict] | None:
    """A stranger born the same day in the same kecamatan as `r` (a NIK one serial
    digit off), who lives outside Banten now: a different name, no birth date."""
    for _ in range(8):
        nik = _digit_off(rng, r.nik, range(12, 16))
        if nik not in taken:
            return (["PRIBADI", other.name, nik, "", f"PERUM GRIYA ASRI BLOK {rng.choice('FGH')}{rng.randint(1, 30)}",
                     rng.choice(OUTSIDE_PLACES), ""], {"kind": "neighbour"})
    return None


def write(path: Path, truth_path: Path, people: list[Resident], rows: int, seed: int) -> None:
    """A register of about `rows` rows and its truth (ROW_NO, person_id, kind, noise per field)."""
    rng = Random(f"independent-arrears:{seed}")
    taken = {p.nik for p in people}
    owners = rng.sample(people, min(len(people), round(rows * (1 - SHARE_COMPANY - SHARE_OUTSIDE - SHARE_NEIGHBOUR))))
    out = [_resident_row(rng, r, people) for r in owners]
    out += [_company_row(rng) for _ in range(round(rows * SHARE_COMPANY))]
    out += [_outside_row(rng, rng.choice(people)) for _ in range(round(rows * SHARE_OUTSIDE))]
    for _ in range(round(rows * SHARE_NEIGHBOUR)):
        resident = rng.choice(people)
        namesake = rng.choice([p for p in rng.sample(people, min(40, len(people)))
                               if p.sex == resident.sex and p.name != resident.name] or [resident])
        row = _neighbour_row(rng, resident, namesake, taken) if namesake is not resident else None
        if row is not None:
            out.append(row)
    rng.shuffle(out)
    fields = ("ROW_NO", "person_id", "kind", "identified", "nik", "name", "birth", "address", "area")
    with path.open("w", encoding="utf-8", newline="") as f, truth_path.open("w", encoding="utf-8", newline="") as t:
        register, truth = csv.writer(f), csv.DictWriter(t, fields, restval="", lineterminator="\n")
        register.writerow(COLUMNS)
        truth.writeheader()
        for i, (row, facts) in enumerate(out, start=1):
            plate = f"{rng.choice('AB')} {rng.randint(1, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{i % 26 + 65:c}"
            register.writerow([plate, *row, rng.randrange(200_000, 9_000_000, 100), rng.randint(1, 48)])
            truth.writerow({"ROW_NO": i, **facts})


def measure(cur, run_id: str, truth_path: Path, same: dict[str, str] | None = None) -> tuple[Accuracy, pd.DataFrame]:
    """Accuracy of a stored run against the truth, and the rows joined (for a
    breakdown by noise). `same` maps warehouse person_ids to a human's id when
    the warehouse may hold one human twice (a sample's truth); else ids compare
    as they are. Every resident owner is an adult (residents())."""
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    result = run_rows(cur, run_id)
    rows = truth.assign(ROW_NO=truth["ROW_NO"].astype(int)).merge(result, on="ROW_NO", how="left")
    human = (lambda s: s.map(same).fillna(s)) if same else (lambda s: s)
    right = (rows["person_id"] != "") & (human(rows["person_id"]) == human(rows["found_id"].fillna("-")))
    rows = rows.assign(right=right)
    matched, found = rows["status"] == "MATCHED", rows["status"].isin(FOUND)
    owner = rows["kind"] == "resident"
    identified = owner & (rows["identified"] == "Y")
    owners, owners_found = int(owner.sum()), int((owner & found & right).sum())
    return Accuracy(matched=int(matched.sum()), matched_right=int((matched & right).sum()), owners=owners,
                    owners_found=owners_found, companies_matched=int(((rows["kind"] == "company") & found).sum()),
                    minors_returned=0, identified=int(identified.sum()),
                    identified_matched=int((identified & matched & right).sum()), adult_owners=owners,
                    adult_owners_found=owners_found), rows
