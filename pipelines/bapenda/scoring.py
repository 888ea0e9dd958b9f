"""Scoring register rows against candidate identity nodes with Splink, on the
identity step's own comparisons and trained parameters.

Why reuse the identity model: name, birth date, sex and NIK parts are the same
features compared the same way (pipelines.identity.model), and their u values
(how often two strangers agree) are properties of the population, learnt once.
What the register adds is the registration area, whose m and u are set here
explicitly (docs/bapenda.md). The prior is one owner among all persons.

Candidate pairs were already blocked in PostgreSQL (sql/candidates.sql); each
candidate row carries its register row's number, so Splink's only blocking
rule is `row_no`, and it scores exactly those pairs.
"""

from __future__ import annotations

import copy
import logging
import math

import numpy as np
import pandas as pd
from splink import Linker

from pipelines.bapenda.register import address_key
from pipelines.identity import model as identity_model

COMPARED = ("name", "dob", "sex", "nik")  # the register has no birth place, mother or father
# Levels the identity model never saw in random pairs have no u: two strangers
# share a whole NIK, or one a serial digit off, about once per person in the
# province (serials run 0001, 0002, ... per kecamatan, birth date and sex), so
# u is 1/N. A constant 1e-6 made a stranger's serial next to the owner's worth
# 11 bits in a 100 k province, enough with a similar name to be MATCHED.


def _precomputed(name: str, column: str, levels: list[tuple[str, str, float, float]], else_m: float,
                 else_u: float) -> dict:
    """A comparison on a level worked out before Splink (a candidate column;
    the register side holds "", so the concatenation is the candidate's value)."""
    return {"output_column_name": name, "comparison_description": name, "comparison_levels": [
        {"sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "label_for_charts": "null",
         "is_null_level": True},
        *({"sql_condition": f"\"{column}_l\" || \"{column}_r\" = '{value}'", "label_for_charts": label,
           "m_probability": m, "u_probability": u} for value, label, m, u in levels),
        {"sql_condition": "ELSE", "label_for_charts": "else", "m_probability": else_m, "u_probability": else_u}]}


# The registration area: where the vehicle was registered, against where the
# person lives, lived or got their NIK. A third of owners register away from
# home or moved since (m); a stranger is in the same kab/kota one time in six
# or so, in the same kecamatan one in a hundred (u, 8 kab/kota, ~155 kecamatan).
AREA = _precomputed("area", "area", [("kec", "same kecamatan", 0.45, 0.01), ("kab", "same kab/kota", 0.30, 0.15)],
                    0.25, 0.84)
# The registered address against the person's current one: the owner still
# living there writes it the same way, RT/RW included (m); two strangers in the
# same street and RT are rare, in the same street less so (u).
ADDRESS = _precomputed("address", "addr", [("rt", "same street, RT and RW", 0.45, 0.0005),
                                           ("street", "same street", 0.10, 0.01)], 0.45, 0.9895)
FEATURES = ["unique_id", "row_no", "nik", "name_key", "name_skel", "first_skel", "initials", "sex", "dob",
            "birth_year", "nik_region", "nik_birth", "nik_sex", "nik_serial", "area", "addr"]


def settings(persons: int) -> dict:
    trained = {c["output_column_name"]: c for c in identity_model.load_model()["comparisons"]}
    comparisons = []
    for name in COMPARED:
        comparison = copy.deepcopy(trained[name])
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level") and level.get("u_probability") is None:
                level["u_probability"] = 1 / max(persons, 2)
        comparisons.append(comparison)
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons + [AREA, ADDRESS],
        "blocking_rules_to_generate_predictions": ["l.row_no = r.row_no"],
        "probability_two_random_records_match": 1 / max(persons, 2),
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,  # gamma_* columns feed the decision rules
        "additional_columns_to_retain": ["row_no"],
    }


def address_level(register: pd.DataFrame, candidates: pd.DataFrame) -> pd.Series:
    """Per candidate pair: 'rt' (same address and RT/RW), 'street', 'none', or
    None when the register row has no address."""
    theirs = candidates[["row_no"]].merge(register[["row_no", "addr_key", "addr_rt_rw"]], on="row_no", how="left")
    key = candidates["alamat"].map(address_key).to_numpy()
    rt = (candidates["no_rt"].fillna("").str.lstrip("0") + "/" + candidates["no_rw"].fillna("").str.lstrip("0"))
    same_street = theirs["addr_key"].to_numpy() == key
    level = pd.Series("none", index=candidates.index)
    level[same_street] = "street"
    level[same_street & (theirs["addr_rt_rw"].to_numpy() == rt.to_numpy())] = "rt"
    return level.where(theirs["addr_key"].notna().to_numpy(), None)


def abbreviates(register_key: str | None, person_key: str | None) -> bool:
    """The register writes the person's name with one or more words as initials
    ("I NURHAYATI", "SITI N HALIMAH" for IMAS NURHAYATI, SITI NUR HALIMAH): the
    same words, each whole or its first letter. The identity model has no level
    for it (its initials level needs the given name whole)."""
    if not register_key or not person_key:
        return False
    ours, theirs = register_key.split(), person_key.split()
    return (len(ours) == len(theirs) and any(len(t) == 1 < len(p) for t, p in zip(ours, theirs))
            and all(t == p or (len(t) == 1 and p.startswith(t)) for t, p in zip(ours, theirs)))


def _sixteen_digits(niks: pd.Series) -> np.ndarray:
    return niks.astype("string").str.fullmatch(r"\d{16}").fillna(False).to_numpy(dtype=bool)


def pair_flags(register: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Per candidate pair (row_no, node_id), register evidence the identity
    model cannot see: `nik_one_digit` (16 digits each, exactly one digit apart:
    a typo anywhere, or a stranger born nearby: decide.py needs the name to
    tell), `name_abbreviated` (abbreviates) and `dob_swapped` (day and month
    of the birth date exchanged)."""
    theirs = candidates[["row_no"]].merge(register[["row_no", "nik", "name_key", "dob"]], on="row_no", how="left")
    # Digit by digit, as bytes: a run has as many pairs as a province has namesakes.
    both = _sixteen_digits(theirs["nik"]) & _sixteen_digits(candidates["nik"])
    digits = [np.frombuffer("".join(n.where(both, "0" * 16)).encode(), dtype=np.uint8).reshape(-1, 16)
              for n in (theirs["nik"], candidates["nik"])]
    one_digit = both & ((digits[0] != digits[1]).sum(axis=1) == 1)
    ours, their_dob = (pd.DatetimeIndex(pd.to_datetime(d.to_numpy())) for d in (theirs["dob"], candidates["dob"]))
    swapped = ((ours.day <= 12) & (ours.day != ours.month) & (ours.year == their_dob.year)
               & (ours.day == their_dob.month) & (ours.month == their_dob.day))
    initials = theirs["name_key"].astype("string").str.contains(r"\b[A-Z]\b").fillna(False).to_numpy(dtype=bool)
    abbreviated = [bool(i) and abbreviates(a, b) for i, a, b in zip(initials, theirs["name_key"], candidates["name_key"])]
    return pd.DataFrame({"row_no": candidates["row_no"].to_numpy(), "node_id": candidates["node_id"].to_numpy(),
                         "nik_one_digit": one_digit, "name_abbreviated": abbreviated,
                         "dob_swapped": np.asarray(swapped, dtype=bool)})


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text as text and years as integers, whatever pandas inferred from a
    column that happens to be all empty."""
    frame = frame[FEATURES].copy()
    frame["dob"] = pd.to_datetime(frame["dob"]).dt.date
    frame["birth_year"] = pd.to_numeric(frame["birth_year"]).astype("Int64")
    frame["row_no"] = frame["row_no"].astype("int64")
    text = [c for c in FEATURES if c not in ("dob", "birth_year", "row_no")]
    return frame.astype({c: "string" for c in text})


def score(register: pd.DataFrame, candidates: pd.DataFrame, persons: int) -> pd.DataFrame:
    """Scored (register row, node) pairs: row_no, node_id, person_id,
    match_weight, match_probability, gamma_* and mw_* per comparison, and pair_flags."""
    if candidates.empty:
        return pd.DataFrame(columns=["row_no", "node_id", "person_id", "match_weight", "match_probability"])
    left = register.assign(unique_id="R" + register["row_no"].astype(str), area="", addr="")
    right = candidates.assign(unique_id=candidates["row_no"].astype(str) + ":" + candidates["node_id"],
                              addr=address_level(register, candidates))
    with identity_model.duckdb_api() as api:
        tables = [api.register(_typed(left), dataset_display_name="register"),
                  api.register(_typed(right), dataset_display_name="identity")]
        linker = Linker(tables, settings(persons), log_level=logging.WARNING)
        pairs = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    # Which side is the register's is Splink's choice; only candidate ids hold a ':'.
    ids = pairs["unique_id_l"].where(pairs["unique_id_l"].str.contains(":"), pairs["unique_id_r"])
    node = ids.str.split(":", n=1).str[1]
    pairs = pairs.assign(row_no=pairs["row_no_l"].astype(int), node_id=node.to_numpy())
    people = candidates.set_index("node_id")["person_id"]
    pairs["person_id"] = pairs["node_id"].map(people[~people.index.duplicated()])
    keep = ["row_no", "node_id", "person_id", "match_weight", "match_probability"]
    keep += [c for c in pairs.columns if c.startswith(("gamma_", "mw_"))]
    return _relevel(pairs[keep].merge(pair_flags(register, candidates), on=["row_no", "node_id"], how="left"))


# Register habits the identity model has no level for, scored at its nearest
# level, with that level's trained m and u: a birth date with day and month
# exchanged as a one-digit typo (gamma_dob 2), a name with words written as
# initials as the weakest agreeing name, "same given name" (gamma_name 1).
# Otherwise both fall to "else", a veto of some 9 bits each.
RELEVELLED = (("dob", "dob_swapped", 2), ("name", "name_abbreviated", 1))


def level_weight(comparison: str, gamma: int) -> float:
    """log2(m/u) of a trained comparison level."""
    trained = {c["output_column_name"]: c for c in identity_model.load_model()["comparisons"]}
    levels = [level for level in trained[comparison]["comparison_levels"] if not level.get("is_null_level")]
    level = levels[len(levels) - 1 - gamma]
    return math.log2(level["m_probability"] / level["u_probability"])


def _relevel(pairs: pd.DataFrame) -> pd.DataFrame:
    for comparison, flag, gamma in RELEVELLED:
        hit = pairs[flag].fillna(False).astype(bool) & (pairs[f"gamma_{comparison}"] == 0)
        weight = level_weight(comparison, gamma)
        pairs.loc[hit, "match_weight"] += weight - pairs.loc[hit, f"mw_{comparison}"]
        pairs.loc[hit, [f"mw_{comparison}", f"gamma_{comparison}"]] = [weight, gamma]
    return pairs.assign(match_probability=pairs["match_weight"].map(probability))


def name_u_at_least() -> dict[int, float]:
    """gamma_name -> how often two strangers' names agree at least that well
    (the identity model's u, summed from the strongest level down)."""
    trained = {c["output_column_name"]: c for c in identity_model.load_model()["comparisons"]}
    u = [level["u_probability"] for level in trained["name"]["comparison_levels"] if not level.get("is_null_level")]
    return {len(u) - 1 - j: sum(u[:j + 1]) for j in range(len(u))}


def probability(weight: float) -> float:
    """A match weight (log2 Bayes factor including the prior) as a probability."""
    return 1 / (1 + 2 ** -weight) if weight > -60 else 0.0


def weights(row: pd.Series) -> dict[str, float]:
    """The weight each comparison contributed: the reasons kept for audit."""
    return {c[3:]: round(float(row[c]), 2) for c in row.index
            if c.startswith("mw_") and not math.isnan(float(row[c]))}
