"""The sample generator: deterministic, in the export contract, truthful."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pipelines.contract import (CODE_LISTS, COLUMNS, DISTRICTS, all_kecamatan_codes, desa_codes,
                                kecamatan_codes)
from pipelines.sample import generate
from pipelines.sample.layout import REMOTE_KECAMATAN

NIGHTS = [dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 28)]
PERSONS = 8_000


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, NIGHTS, persons=PERSONS, seed=7)
    return out


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def parse_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d-%m-%Y" if text[2] == "-" else "%Y-%m-%d").date()


@pytest.fixture(scope="module")
def nights(sample) -> dict[str, list[tuple[str, dict, dict]]]:
    """night -> [(district, export row, truth row)] in file order."""
    result = {}
    for night in NIGHTS:
        iso = night.isoformat()
        truth = {(t["district_code"], int(t["source_row"])): t for t in read(sample / "truth" / f"records_{iso}.csv")}
        rows = []
        for code in DISTRICTS:
            for i, row in enumerate(read(sample / iso / f"{code}.csv"), start=1):
                rows.append((code, row, truth.pop((code, i))))
        assert not truth, "truth lists records that are not in the files"
        result[iso] = rows
    return result


def test_same_seed_gives_byte_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, NIGHTS[:2], persons=1_500, seed=3)
    generate(b, NIGHTS[:2], persons=1_500, seed=3)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert len(files) == 2 * 16 + 2 * 2 + 3  # exports+manifests, records+residence, persons+arrears x2
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_files_follow_the_contract_and_manifests_agree(sample):
    for night in NIGHTS:
        for code in DISTRICTS:
            path = sample / night.isoformat() / f"{code}.csv"
            with path.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f))
            assert tuple(header) == COLUMNS
            manifest = json.loads(path.with_suffix(".manifest.json").read_text())
            assert manifest == {"district_code": code, "export_date": night.isoformat(),
                                "row_count": len(read(path)),
                                "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_every_row_is_valid(nights):
    kecamatan = all_kecamatan_codes()
    for iso, rows in nights.items():
        night = dt.date.fromisoformat(iso)
        # a person entered under someone else's NIK shows it on every record, stale ones too
        borrowed = {t["true_person_id"] for _, _, t in rows if t["anomaly"] == "shared_nik"}
        for code, row, truth in rows:
            # identifiers stay text: leading zeros survive
            assert len(row["NIK"]) == 16 and row["NIK"].isdigit()
            assert len(row["NO_KK"]) == 16 and row["NO_KK"].isdigit()
            assert len(row["NO_RT"]) == len(row["NO_RW"]) == 3 and len(row["NO_KEL"]) == 4
            assert row["NO_PROP"] + row["NO_KAB"] == code
            kec = code + row["NO_KEC"]
            assert kec in kecamatan_codes(code) and kec + row["NO_KEL"] in desa_codes(kec)
            for column, codes in CODE_LISTS.items():
                assert row[column] in codes, (column, row[column])
            assert 0 < len(row["NAMA_LGKP"]) <= 60
            birth = parse_date(row["TGL_LHR"])
            assert birth <= night and night.year - birth.year <= 120
            assert parse_date(row["TGL_ENTRI"]) <= parse_date(row["TGL_UBAH"]) <= night
            if int(row["EKTP_CURRENT_STATUS_CODE"]) >= 3:
                assert parse_date(row["EKTP_CREATED_DATE"]) <= night
            if truth["anomaly"] == "nik_typo" or truth["true_person_id"] in borrowed:
                continue
            nik = row["NIK"]
            assert nik[:6] in kecamatan
            day = int(nik[6:8])
            assert (day > 40) == (row["JENIS_KLMIN"] == "2")
            assert (day % 40, int(nik[8:10]), int(nik[10:12])) == (birth.day, birth.month, birth.year % 100)
            assert nik[12:] != "0000"


def test_day_first_districts_write_day_first(nights):
    for code, row, _ in nights[NIGHTS[0].isoformat()]:
        assert (row["TGL_LHR"][2] == "-") == (code in ("3602", "3672"))


def test_one_head_per_family_card(nights):
    for rows in nights.values():
        heads, members = Counter(), Counter()
        for _, row, _ in rows:
            members[row["NO_KK"]] += 1
            heads[row["NO_KK"]] += row["STAT_HBKEL"] == "1"
        assert all(heads[kk] == 1 for kk in members)


def test_niks_are_unique_except_the_anomalies(nights):
    for rows in nights.values():
        by_nik = defaultdict(list)
        for _, row, truth in rows:
            by_nik[row["NIK"]].append(truth)
        for group in by_nik.values():
            if len(group) > 1:
                anomalies = {t["anomaly"] for t in group}
                assert anomalies & {"mover_lag", "shared_nik", "double_nik", "nik_typo"}, group


def test_people_keep_their_nik_across_nights(nights):
    def stable(rows):
        return {t["true_person_id"]: r["NIK"] for _, r, t in rows if t["anomaly"] in ("", "twin", "name_variant")}

    first, last = stable(nights[NIGHTS[0].isoformat()]), stable(nights[NIGHTS[-1].isoformat()])
    common = first.keys() & last.keys()
    assert len(common) > 0.95 * PERSONS
    assert all(first[pid] == last[pid] for pid in common)


def test_population_changes_a_little_each_night(nights):
    night = NIGHTS[1]
    changed = sum(parse_date(r["TGL_UBAH"]) == night for _, r, _ in nights[night.isoformat()])
    assert 0.003 * PERSONS < changed < 0.03 * PERSONS


def test_anomalies_at_their_rates(nights):
    counts = Counter(t["anomaly"] for rows in nights.values() for _, _, t in rows)
    records = sum(len(rows) for rows in nights.values())
    rate = {k: v / records for k, v in counts.items()}
    assert 0.001 < rate["double_nik"] < 0.006
    assert 0.0001 < rate["shared_nik"] < 0.002
    assert 0.0001 < rate["nik_typo"] < 0.002
    assert 0.0003 < rate["mover_lag"] < 0.005
    assert 0.001 < rate["name_variant"] < 0.008
    assert 0.002 < rate["estimated_birth_date"] < 0.03
    assert 0.001 < rate["twin"] < 0.02


def test_twins_share_family_and_birth_but_not_identity(nights):
    families = defaultdict(list)
    for _, row, truth in nights[NIGHTS[0].isoformat()]:
        if truth["anomaly"] == "twin":
            families[(row["NO_KK"], row["TGL_LHR"])].append((row, truth["true_person_id"]))
    assert families
    for pair in families.values():
        assert len(pair) == 2
        (a, pid_a), (b, pid_b) = pair
        assert pid_a != pid_b and a["NAMA_LGKP"] != b["NAMA_LGKP"]
        assert (a["NAMA_LGKP_IBU"], a["NAMA_LGKP_AYAH"]) == (b["NAMA_LGKP_IBU"], b["NAMA_LGKP_AYAH"])
        assert abs(int(a["NIK"][12:]) - int(b["NIK"][12:])) == 1


def test_estimated_birth_dates_are_1_july_or_31_december(nights):
    for _, row, truth in nights[NIGHTS[0].isoformat()]:
        if truth["anomaly"] == "estimated_birth_date":
            birth = parse_date(row["TGL_LHR"])
            assert (birth.month, birth.day) in ((7, 1), (12, 31))


def test_movers_lag_in_their_old_district(nights):
    rows = nights[NIGHTS[0].isoformat()]
    current = {t["true_person_id"]: (code, r) for code, r, t in rows if t["anomaly"] != "mover_lag"}
    lagging = [(code, r, t) for code, r, t in rows if t["anomaly"] == "mover_lag"]
    assert lagging
    for code, row, truth in lagging:
        new_code, new_row = current[truth["true_person_id"]]
        assert new_code != code and new_row["NIK"] == row["NIK"] and new_row["NO_KK"] != row["NO_KK"]


def test_ektp_coverage_is_lower_in_remote_kecamatan(sample):
    tally = defaultdict(lambda: [0, 0])
    for r in read(sample / "truth" / f"residence_{NIGHTS[-1].isoformat()}.csv"):
        if r["wajib_ktp"] == "1" and r["alive"] == "1":
            t = tally[r["kecamatan_code"] in REMOTE_KECAMATAN]
            t[0] += 1
            t[1] += int(r["ektp_status"]) >= 3
    remote, rest = (tally[flag][1] / tally[flag][0] for flag in (True, False))
    assert remote < rest - 0.05 and 0.95 < (tally[True][1] + tally[False][1]) / (tally[True][0] + tally[False][0])


def test_remote_kecamatan_codes_name_the_right_places():
    for code, name in REMOTE_KECAMATAN.items():
        assert kecamatan_codes(code[:4])[code] == name


def test_truth_persons_cover_every_record(sample, nights):
    persons = {r["true_person_id"] for r in read(sample / "truth" / "persons.csv")}
    last = nights[NIGHTS[-1].isoformat()]
    assert {t["true_person_id"] for _, _, t in last} <= persons
    assert len(persons) >= PERSONS


def test_arrears_register_and_truth(sample):
    register = read(sample / "arrears_register.csv")
    truth = read(sample / "truth" / "arrears.csv")
    persons = {r["true_person_id"] for r in read(sample / "truth" / "persons.csv")}
    assert len(register) == len(truth) >= 200
    assert [int(t["ROW_NO"]) for t in truth] == list(range(1, len(truth) + 1))
    assert len({r["NO_POLISI"] for r in register}) == len(register)
    kinds = Counter(r["JENIS_PEMILIK"] for r in register)
    assert 0.05 < kinds["BADAN"] / len(register) < 0.2
    for row, t in zip(register, truth):
        int(row["TUNGGAKAN_RP"])
        assert 1 <= int(row["BULAN_TUNGGAK"]) <= 60
        assert t["expected_status"] in ("MATCHED", "PROBABLE", "NO_MATCH", "NOT_A_PERSON")
        if row["JENIS_PEMILIK"] == "BADAN":
            assert t["expected_status"] == "NOT_A_PERSON" and not t["true_person_id"]
        elif t["true_person_id"]:
            assert t["true_person_id"] in persons
    empty_nik = sum(not r["NIK_PEMILIK"] for r in register if r["JENIS_PEMILIK"] == "PRIBADI")
    assert 0.25 < empty_nik / kinds["PRIBADI"] < 0.55


def test_summary_lists_what_was_written(tmp_path):
    summary = generate(tmp_path, [NIGHTS[0]], persons=500, seed=1)
    assert sorted(summary.files) == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert summary.rows[NIGHTS[0].isoformat()].keys() == DISTRICTS.keys()
    assert summary.arrears_register == tmp_path / "arrears_register.csv"
