"""Scoring register rows against candidate identity nodes with Splink, on the
identity step's own comparisons and trained parameters.

Why reuse the identity model: name, birth date, sex and NIK parts are the same
features compared the same way (pipelines.identity.comparisons), and their u values
(how often two strangers agree) are properties of the population, learnt once.
What the register adds is the registration area, whose m and u are set here
explicitly (docs/bapenda.md). The prior is one owner among all persons.

How this register writes a name, a birth date and an address (its m) is its
own, not SIAK's: each run learns it from its own rows whose NIK is exactly
one candidate's (register_m), the deterministic pairs of the register.

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
from pipelines.identity import scoring as identity_scoring
from pipelines.identity.comparisons import NIK_EXACT

COMPARED = ("name", "dob", "sex", "nik")  # the register has no birth place, mother or father
# The NIK's partial levels, for a register row: how often a stranger's NIK
# agrees that well. One serial digit off: about once per person in the
# province (serials run 0001, 0002, ... per kecamatan, birth date and sex), so
# 1/N. The same birth date and sex part: as often as two strangers share a
# birth date and a sex, the model's own u for those. The trained artefact's u
# for both (2e-7, from pairs of one person's records) made a stranger born the
# same day nearby worth 16 bits here: with a similar name, MATCHED.
_SERIAL_OFF, _BIRTH_PART = "same region and birth, serial one digit off", "same birth date and sex part"

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
AREA_LEVELS = [("kec", "same kecamatan", 0.45, 0.01), ("kab", "same kab/kota", 0.30, 0.15)]
AREA = _precomputed("area", "area", AREA_LEVELS, 0.25, 0.84)
# The registered address against the person's current one: the owner still
# living there writes it the same way, RT/RW included (m); two strangers in the
# same street and RT are rare, in the same street less so (u).
ADDRESS = _precomputed("address", "addr", [("rt", "same street, RT and RW", 0.45, 0.0005),
                                           ("street", "same street", 0.10, 0.01)], 0.45, 0.9895)
# Comparisons whose m each run estimates from its NIK-anchored rows. The NIK
# is the anchor and sex comes from the NIK: those keep the configured m. The
# area is read on the anchors without the registered NIK's own region (it
# agrees with the anchor's by construction): as a row without a NIK has it.
REGISTER_M = ("name", "dob", "area", "address")
ESTIMATE_COLUMNS = ["comparison", "gamma", "label", "anchors", "m", "u"]
FEATURES = ["unique_id", "row_no", "nik", "name_key", "name_skel", "first_skel", "initials", "sex", "dob",
            "birth_year", "nik_region", "nik_birth", "nik_sex", "nik_serial", "area", "addr"]


def _u(comparison: dict, label: str) -> float:
    return next(lv["u_probability"] for lv in comparison["comparison_levels"] if lv.get("label_for_charts") == label)


def settings(persons: int) -> dict:
    trained = {c["output_column_name"]: c for c in identity_scoring.load_model()["comparisons"]}
    comparisons = []
    u = {_SERIAL_OFF: 1 / max(persons, 2),
         _BIRTH_PART: _u(trained["dob"], "same date") * _u(trained["sex"], "same")}
    for name in COMPARED:
        comparison = copy.deepcopy(trained[name])
        for level in comparison["comparison_levels"]:
            if name == "nik" and level.get("label_for_charts") in u:
                level["u_probability"] = u[level["label_for_charts"]]
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


def _sixteen_digits(niks: pd.Series) -> np.ndarray:
    return niks.astype("string").str.fullmatch(r"\d{16}").fillna(False).to_numpy(dtype=bool)


def pair_flags(register: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Per candidate pair (row_no, node_id), `nik_one_digit`: both NIKs 16
    digits, exactly one apart. A typo anywhere, or a stranger born nearby: the
    identity model compares NIK parts, not this, and decide.py needs the name
    to tell the two apart."""
    theirs = candidates[["row_no"]].merge(register[["row_no", "nik"]], on="row_no", how="left")
    # Digit by digit, as bytes: a run has as many pairs as a province has namesakes.
    both = _sixteen_digits(theirs["nik"]) & _sixteen_digits(candidates["nik"])
    digits = [np.frombuffer("".join(n.where(both, "0" * 16)).encode(), dtype=np.uint8).reshape(-1, 16)
              for n in (theirs["nik"], candidates["nik"])]
    return pd.DataFrame({"row_no": candidates["row_no"].to_numpy(), "node_id": candidates["node_id"].to_numpy(),
                         "nik_one_digit": both & ((digits[0] != digits[1]).sum(axis=1) == 1)})


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text as text and years as integers, whatever pandas inferred from a
    column that happens to be all empty."""
    frame = frame[FEATURES].copy()
    frame["dob"] = pd.to_datetime(frame["dob"]).dt.date
    frame["birth_year"] = pd.to_numeric(frame["birth_year"]).astype("Int64")
    frame["row_no"] = frame["row_no"].astype("int64")
    text = [c for c in FEATURES if c not in ("dob", "birth_year", "row_no")]
    return frame.astype({c: "string" for c in text})


def area_level(candidates: pd.DataFrame, nik_region: bool = True) -> pd.Series:
    """Per candidate pair, the registration area's level from sql/candidates.sql's
    flags: 'kec', 'kab', 'none', or None when the register leaves it blank;
    `nik_region=False` leaves out the registered NIK's region as kecamatan evidence."""
    kec = candidates["in_kec"] | (candidates["in_nik_kec"] if nik_region else False)
    level = np.where(kec, "kec", np.where(candidates["in_kab"], "kab", "none"))
    return pd.Series(level, index=candidates.index, dtype=object).where(~candidates["area_blank"], None)


def _levels(comparison: dict) -> dict[int, dict]:
    """gamma -> level, as Splink numbers them (the first listed is the highest; null is -1)."""
    levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    return {len(levels) - 1 - i: level for i, level in enumerate(levels)}


def register_m(pairs: pd.DataFrame, comparisons: list[dict]) -> pd.DataFrame:
    """Per comparison of REGISTER_M and level: m as this register shows it.

    Anchors are the rows whose registered NIK is exactly one candidate
    person's NIK, whatever the name or date say (choosing them by the name
    would hide how names are written); each anchor contributes the person's
    best-scored node, the one decide() looks at. m is the anchors' share at the
    level, smoothed towards the configured m by one pseudo-row per level
    (a Dirichlet prior worth as many rows as levels), so that a register with
    few anchors keeps the model's m and a large one speaks for itself. It
    assumes a row's name, date and address are written as carefully whether
    or not its NIK was: true of a clerk's habits, not of a form that asks for
    one only."""
    exact = pairs[pairs["gamma_nik"] == NIK_EXACT]
    anchored_gamma = {"area": "gamma_area_named"}
    holders = exact.groupby("row_no")["person_id"].transform("nunique")
    anchors = exact[holders == 1].sort_values("match_weight", ascending=False).drop_duplicates("row_no")
    rows = []
    for comparison in comparisons:
        name = comparison["output_column_name"]
        if name not in REGISTER_M:
            continue
        levels = _levels(comparison)
        seen = anchors[anchored_gamma.get(name, f"gamma_{name}")]
        seen = seen[seen >= 0]
        for gamma, level in levels.items():
            m = (int((seen == gamma).sum()) + len(levels) * level["m_probability"]) / (len(seen) + len(levels))
            rows.append({"comparison": name, "gamma": gamma, "label": level["label_for_charts"],
                         "anchors": len(seen), "m": m, "u": level["u_probability"]})
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)


def reweigh(pairs: pd.DataFrame, estimates: pd.DataFrame, prior: float) -> pd.DataFrame:
    """The pairs' weights with the register's own m (register_m): each
    comparison's weight log2(m/u) at its level (0 when null), the prior's
    log-odds, and the sum, exactly as Splink adds them."""
    pairs = pairs.copy()
    for name, levels in estimates.groupby("comparison"):
        weight = dict(zip(levels["gamma"], np.log2(levels["m"] / levels["u"])))
        pairs[f"mw_{name}"] = pairs[f"gamma_{name}"].map(weight).fillna(0.0)
    parts = [c for c in pairs.columns if c.startswith("mw_")]
    pairs["match_weight"] = math.log2(prior / (1 - prior)) + pairs[parts].sum(axis=1)
    pairs["match_probability"] = pairs["match_weight"].map(probability)
    return pairs


def score(register: pd.DataFrame, candidates: pd.DataFrame, persons: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs, m): the scored (register row, node) pairs (row_no, node_id,
    person_id, match_weight, match_probability, gamma_* and mw_* per
    comparison, and pair_flags), weighed with the register's own m; and that
    m (register_m), for the audit trail."""
    if candidates.empty:
        return (pd.DataFrame(columns=["row_no", "node_id", "person_id", "match_weight", "match_probability"]),
                pd.DataFrame(columns=ESTIMATE_COLUMNS))
    left = register.assign(unique_id="R" + register["row_no"].astype(str), area="", addr="")
    right = candidates.assign(unique_id=candidates["row_no"].astype(str) + ":" + candidates["node_id"],
                              area=area_level(candidates), addr=address_level(register, candidates))
    config = settings(persons)
    with identity_scoring.duckdb_api() as api:
        tables = [api.register(_typed(left), dataset_display_name="register"),
                  api.register(_typed(right), dataset_display_name="identity")]
        linker = Linker(tables, config, log_level=logging.WARNING)
        pairs = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    # Which side is the register's is Splink's choice; only candidate ids hold a ':'.
    ids = pairs["unique_id_l"].where(pairs["unique_id_l"].str.contains(":"), pairs["unique_id_r"])
    node = ids.str.split(":", n=1).str[1]
    pairs = pairs.assign(row_no=pairs["row_no_l"].astype(int), node_id=node.to_numpy())
    people = candidates.set_index("node_id")["person_id"]
    pairs["person_id"] = pairs["node_id"].map(people[~people.index.duplicated()])
    keep = ["row_no", "node_id", "person_id", "match_weight", "match_probability"]
    keep += [c for c in pairs.columns if c.startswith(("gamma_", "mw_"))]
    pairs = pairs[keep].merge(pair_flags(register, candidates), on=["row_no", "node_id"], how="left")
    # The area as a row without a NIK would have it, for register_m's anchors.
    gamma = {value: len(AREA_LEVELS) - i for i, (value, *_) in enumerate(AREA_LEVELS)}  # as Splink numbers them
    named = candidates[["row_no", "node_id"]].assign(
        gamma_area_named=area_level(candidates, nik_region=False).map(lambda v: -1 if v is None else gamma.get(v, 0)))
    pairs = pairs.merge(named, on=["row_no", "node_id"], how="left")
    estimates = register_m(pairs, config["comparisons"])
    return reweigh(pairs, estimates, config["probability_two_random_records_match"]), estimates


def name_u_at_least() -> dict[int, float]:
    """gamma_name -> how often two strangers' names agree at least that well
    (the identity model's u, summed from the strongest level down)."""
    trained = {c["output_column_name"]: c for c in identity_scoring.load_model()["comparisons"]}
    u = [level["u_probability"] for level in trained["name"]["comparison_levels"] if not level.get("is_null_level")]
    return {len(u) - 1 - j: sum(u[:j + 1]) for j in range(len(u))}


def probability(weight: float) -> float:
    """A match weight (log2 Bayes factor including the prior) as a probability."""
    return 1 / (1 + 2 ** -weight) if weight > -60 else 0.0


def weights(row: pd.Series) -> dict[str, float]:
    """The weight each comparison contributed: the reasons kept for audit."""
    return {c[3:]: round(float(row[c]), 2) for c in row.index
            if c.startswith("mw_") and not math.isnan(float(row[c]))}
