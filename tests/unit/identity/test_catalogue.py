"""The variation catalogue (bench/catalogue): each class is the variation it claims,
hard negatives are different people, files pass validation, and its scoring counts
what it should. No database: the catalogue is files and pure functions."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from catalogue import (DUPLICATE_RATES, build_catalogue, evaluate, generate_population, read_catalogue_night,
                       read_negatives, write_catalogue)

NIGHTS = [dt.date(2026, 11, 26), dt.date(2026, 11, 27)]


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory) -> Path:
    """Two nights of about 5 000 persons: every class and kind has a few cases."""
    out = tmp_path_factory.mktemp("catalogue")
    write_catalogue(out, NIGHTS, persons=5_000, seed=7)
    return out


@pytest.fixture(scope="module")
def night1(catalogue_dir) -> pd.DataFrame:
    return read_catalogue_night(catalogue_dir, NIGHTS[0])


def _birth_part(nik: str, dob: dt.date, sex: str) -> bool:
    return nik[6:12] == f"{dob.day + (40 if sex == '2' else 0):02d}{dob:%m%y}"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


def test_same_seed_same_catalogue_other_seed_another(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_catalogue(tmp_path / name, NIGHTS[:1], persons=1_500, seed=seed)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_identifiers_are_16_digit_text_and_niks_carry_the_birth_date(catalogue_dir):
    for path in sorted((catalogue_dir / NIGHTS[0].isoformat()).glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert frame["NIK"].str.fullmatch(r"\d{16}").all() and frame["NO_KK"].str.fullmatch(r"\d{16}").all()
        assert (frame["NO_PROP"] + frame["NO_KAB"] == path.stem).all()
    records = read_catalogue_night(catalogue_dir, NIGHTS[0])
    honest = records[records["anomaly"].ne("shared_nik") & records["variation"].ne("mover_mistyped_nik")]
    assert all(_birth_part(n, d, s) for n, d, s in zip(honest["nik"], honest["tgl_lhr"], honest["jenis_klmin"]))


def _pairs(records: pd.DataFrame):
    """(class, original, second registration) for every single-class duplicate."""
    originals = records[records["variation"].eq("")].drop_duplicates("true_person_id").set_index("true_person_id")
    for _, dup in records[records["variation"].ne("")].iterrows():
        if dup["true_person_id"] in originals.index:
            yield dup["variation"], originals.loc[dup["true_person_id"]], dup


_ROWS = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
_KEY = {k: (r, c) for r, row in enumerate(_ROWS) for c, k in enumerate(row)}
_OLD = [("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("CH", "KH"), ("SJ", "SY"), ("NJ", "NY"), ("J", "Y")]
_SOUNDS = [("Y", "I"), ("KH", "H"), ("Z", "J"), ("U", "O"), ("F", "P"), ("F", "V"), ("SY", "S"), ("DZ", "Z")]
_OCR = {("O", "0"), ("I", "1"), ("S", "5"), ("B", "8"), ("G", "6"), ("Z", "2"), ("D", "0")}


def _one_substitution(a: str, b: str, pairs) -> bool:
    """b is a with one occurrence of one side of a pair written as the other side."""
    for x, y in pairs + [(y, x) for x, y in pairs]:
        for i in range(len(a)):
            if a.startswith(x, i) and a[:i] + y + a[i + len(x):] == b:
                return True
    return False


def _differs_as_claimed(cls: str, orig, dup) -> bool:
    n0, n1, d0, d1 = orig["nama_lgkp"], dup["nama_lgkp"], orig["tgl_lhr"], dup["tgl_lhr"]
    place0 = (orig["district_code"], orig["no_kec"], orig["no_kel"])
    place1 = (dup["district_code"], dup["no_kec"], dup["no_kel"])
    diff = [i for i in range(min(len(n0), len(n1))) if n0[i] != n1[i]]
    checks = {  # lazily: a check may only make sense for its own class
        "old_spelling": lambda: any(n1.replace(old, new) == n0 for old, new in _OLD if old in n1),
        "title": lambda: n1.startswith(n0 + ", ") or (n1.split(" ", 1)[0] in {"H.", "HJ.", "DRS.", "IR.", "DR."}
                                              and n1.split(" ", 1)[1] == n0),
        "initial_given_name": lambda: n1.split()[1:] == n0.split()[1:] and n1.split()[0].rstrip(".") == n0[0]
        and len(n0.split()[0]) > 1,
        "dropped_letter": lambda: any(n0[:i] + n0[i + 1:] == n1 for i in range(len(n0))),
        "doubled_letter": lambda: any(n0[:i] + n0[i] + n0[i:] == n1 for i in range(len(n0))),
        "transposed_letters": lambda: n1 != n0 and any(n0[:i] + n0[i + 1] + n0[i] + n0[i + 2:] == n1 for i in range(len(n0) - 1)),
        "dropped_last_word": lambda: bool(n1) and n1.split() == n0.split()[:-1],
        "keyboard_typo": lambda: len(n0) == len(n1) and len(diff) == 1 and n0[diff[0]] in _KEY and n1[diff[0]] in _KEY
        and max(abs(p - q) for p, q in zip(_KEY[n0[diff[0]]], _KEY[n1[diff[0]]])) <= 1,
        "ocr_typo": lambda: len(n0) == len(n1) and len(diff) == 1 and (n0[diff[0]], n1[diff[0]]) in _OCR,
        "phonetic": lambda: n1 != n0 and _one_substitution(n0, n1, _SOUNDS),
        "day_month_swapped": lambda: d1 != d0 and d1 == dt.date(d0.year, d0.day, d0.month),
        "dob_typo": lambda: d1 != d0 and sum(x != y for x, y in zip(f"{d0:%Y%m%d}", f"{d1:%Y%m%d}")) == 1,
        "missing_parents": lambda: bool(orig["nama_lgkp_ibu"] and orig["nama_lgkp_ayah"])
        and not (dup["nama_lgkp_ibu"] and dup["nama_lgkp_ayah"]),
        "missing_birth_place": lambda: bool(orig["tmpt_lhr"]) and not dup["tmpt_lhr"],
        "new_address": lambda: place1 != place0,
        "new_kk": lambda: dup["no_kk"] != orig["no_kk"] and place1 == place0,
        "new_nik": lambda: dup["nik"] != orig["nik"] and _birth_part(dup["nik"], d1, dup["jenis_klmin"]),
        "same_kk_duplicate": lambda: dup["no_kk"] == orig["no_kk"] and dup["district_code"] == orig["district_code"]
        and dup["nik"] != orig["nik"],
        "mover_same_nik": lambda: dup["nik"] == orig["nik"] and dup["district_code"] != orig["district_code"],
        "mover_mistyped_nik": lambda: sum(x != y for x, y in zip(dup["nik"], orig["nik"])) == 1
        and dup["district_code"] != orig["district_code"],
    }
    return checks[cls]()


_NAME_TOUCHING = {"old_spelling", "title", "initial_given_name", "dropped_letter", "doubled_letter",
                  "transposed_letters", "dropped_last_word", "keyboard_typo", "ocr_typo", "phonetic"}


def test_each_second_registration_differs_as_its_class_claims(night1):
    seen = set()
    for variation, orig, dup in _pairs(night1):
        classes = variation.split(";")
        seen.update(classes if len(classes) == 1 else ["mix"])
        for cls in classes:
            if len(classes) > 1 and cls in _NAME_TOUCHING:  # the other class has changed the name too
                assert dup["nama_lgkp"] != orig["nama_lgkp"], (variation, dup["unique_id"])
            else:
                assert _differs_as_claimed(cls, orig, dup), (variation, orig["unique_id"], dup["unique_id"])
        if len(classes) == 1:
            cls = classes[0]
            assert (dup["nama_lgkp"] == orig["nama_lgkp"]) == (cls not in _NAME_TOUCHING), cls
            assert (dup["tgl_lhr"] == orig["tgl_lhr"]) == (cls not in {"day_month_swapped", "dob_typo"}), cls
            assert dup["jenis_klmin"] == orig["jenis_klmin"]
            if cls != "missing_parents":
                assert (dup["nama_lgkp_ibu"], dup["nama_lgkp_ayah"]) == (orig["nama_lgkp_ibu"], orig["nama_lgkp_ayah"])
    assert seen == set(DUPLICATE_RATES)


def test_hard_negatives_are_different_people(catalogue_dir, night1):
    negatives = read_negatives(catalogue_dir)
    assert set(negatives["kind"]) == {"twin", "sibling", "junior", "namesake", "nik_collision"}
    first = night1[night1["variation"].eq("")].drop_duplicates("true_person_id").set_index("true_person_id")
    for a, b, kind in zip(negatives["person_a"], negatives["person_b"], negatives["kind"]):
        x, y = first.loc[a], first.loc[b]
        assert a != b
        parents = (x["nama_lgkp_ibu"], x["nama_lgkp_ayah"]) == (y["nama_lgkp_ibu"], y["nama_lgkp_ayah"])
        if kind == "twin":
            assert x["no_kk"] == y["no_kk"] and x["tgl_lhr"] == y["tgl_lhr"] and parents
            assert x["nama_lgkp"].split()[0] != y["nama_lgkp"].split()[0] and x["nik"] != y["nik"]
        elif kind == "sibling":
            assert x["no_kk"] == y["no_kk"] and parents and x["tgl_lhr"] != y["tgl_lhr"]
        elif kind == "junior":
            assert x["nama_lgkp"] == y["nama_lgkp"] and y["nama_lgkp_ayah"] == x["nama_lgkp"]
            assert (y["tgl_lhr"] - x["tgl_lhr"]).days >= 18 * 365
        elif kind == "namesake":
            assert (x["nama_lgkp"], x["tgl_lhr"], x["jenis_klmin"]) == (y["nama_lgkp"], y["tgl_lhr"], y["jenis_klmin"])
            assert x["district_code"] + x["no_kec"] + x["no_kel"] == y["district_code"] + y["no_kec"] + y["no_kel"]
            assert x["nama_lgkp_ibu"] != y["nama_lgkp_ibu"] and x["nama_lgkp_ayah"] != y["nama_lgkp_ayah"]
            assert x["no_kk"] != y["no_kk"] or x["nik"] != y["nik"]
        else:
            assert x["nik"] == y["nik"] and x["no_kk"] != y["no_kk"]
    similar = negatives[negatives["kind"].eq("twin")]
    names = [(first.loc[a, "nama_lgkp"].split()[0], first.loc[b, "nama_lgkp"].split()[0])
             for a, b in zip(similar["person_a"], similar["person_b"])]
    assert any(len(p) == len(q) and sum(c != d for c, d in zip(p, q)) == 1 for p, q in names), "no near-same twin names"


def test_every_row_of_both_nights_passes_validation(catalogue_dir):
    from pipelines import ingest
    from pipelines.validate import validate_chunk

    for night in NIGHTS:
        for district, path in ingest.find_exports(catalogue_dir, night).items():
            for chunk in ingest.read_chunks(ingest.inspect(path, district, night)):
                verdict = validate_chunk(chunk.frame, district, night)
                assert not chunk.problems and verdict.quarantined.empty, (night, district, verdict.quarantined.head())


def test_second_night_changes_a_small_share(catalogue_dir, night1):
    night2 = read_catalogue_night(catalogue_dir, NIGHTS[1])
    born = set(night2["true_person_id"]) - set(night1["true_person_id"])
    assert born and all(d > NIGHTS[1] - dt.timedelta(days=60) for d in night2[night2["true_person_id"].isin(born)]["tgl_lhr"])
    assert night2["stat_hidup"].eq("2").any()
    single = night1["true_person_id"].drop_duplicates(keep=False)
    assert night2[night2["variation"].eq("mover_same_nik")]["true_person_id"].isin(single).any()
    columns = [c for c in night1.columns if c not in ("unique_id", "source_row")]
    unchanged = night1[columns].merge(night2[columns], how="inner")
    assert 0.97 * len(night1) < len(unchanged) < len(night1)


def test_any_clean_frame_can_be_the_base():
    base = generate_population(2_000, seed=11, night=NIGHTS[0]).drop(columns="true_person_id")
    base["TGL_LHR"] = pd.to_datetime(base["TGL_LHR"]).dt.strftime("%d-%m-%Y")  # the contract's other spelling
    built = build_catalogue(base, NIGHTS[:1], seed=2).nights[NIGHTS[0]]
    assert len(built) > len(base) and built["true_person_id"].str.startswith("b").any()
    assert built["TGL_LHR"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert set(built.loc[built["variation"].ne(""), "variation"].str.split(";").explode()) >= {"new_kk", "title"}


# -- scoring ---------------------------------------------------------------------

def _toy() -> tuple[pd.DataFrame, pd.DataFrame]:
    records = pd.DataFrame({
        "unique_id": ["a1", "a2", "b1", "b2", "c1", "d1", "e1", "f1"],
        "true_person_id": ["A", "A", "B", "B", "C", "D", "E", "F"],
        "variation": ["", "title", "", "old_spelling;new_nik", "", "", "", ""],
    })
    negatives = pd.DataFrame({"person_a": ["C", "E", "X"], "person_b": ["D", "F", "C"],
                              "kind": ["twin", "nik_collision", "twin"]})
    return records, negatives


def test_scoring_a_perfect_clustering():
    records, negatives = _toy()
    scores = evaluate(records, dict(zip(records["unique_id"], records["true_person_id"])), negatives)
    assert (scores.precision, scores.recall, scores.true_pairs) == (1.0, 1.0, 2)
    assert scores.per_class == {"mix": (1, 1), "title": (1, 1)}
    assert scores.negatives == {"nik_collision": (0, 1), "twin": (0, 1)}  # X is absent: skipped
    assert scores.twins_merged == 0 and scores.collisions_apart == (1, 1)


def test_scoring_counts_misses_and_wrong_merges():
    records, negatives = _toy()
    person_of = {"a1": 1, "a2": 2, "b1": 3, "b2": 3, "c1": 4, "d1": 4, "e1": 5, "f1": 5}
    scores = evaluate(records, person_of, negatives)
    assert scores.per_class == {"mix": (1, 1), "title": (0, 1)}
    assert scores.recall == 0.5 and scores.precision == pytest.approx(1 / 3)
    assert scores.twins_merged == 1 and scores.collisions_apart == (0, 1)


def test_scoring_a_negative_merged_through_a_second_registration():
    records, negatives = _toy()
    negatives = pd.DataFrame({"person_a": ["A"], "person_b": ["C"], "kind": ["namesake"]})
    person_of = {"a1": 1, "a2": 9, "b1": 3, "b2": 3, "c1": 9, "d1": 4, "e1": 5, "f1": 6}
    assert evaluate(records, person_of, negatives).negatives == {"namesake": (1, 1)}
