"""From scored pairs to one decision per register row, at explicit thresholds.

Evidence, strongest first (docs/bapenda.md has the measurements behind them):
1. `nik_exact`: the registered NIK is a person's NIK, and the name and birth
   date (when given) do not contradict it -> MATCHED.
2. `nik_one_digit`: no one holds the registered NIK under that name, and
   exactly one person holds a NIK one digit away under an agreeing name, with
   no birth date against it -> MATCHED, when the chance that a stranger among
   the NIK's one-digit neighbours agrees on the name that well is at most
   1 - TARGET_PRECISION: neighbours x u(name level). A NIK one digit off is a
   typo or a stranger born the same day nearby (serials run 0001, 0002, ...),
   so it is never used without the name.
3. Probabilistic: the best person's Splink weight. MATCHED at MATCH_WEIGHT
   and up when the name agrees and no other person comes within MARGIN;
   PROBABLE from PROBABLE_WEIGHT, or when the name and the registration area
   agree and nobody else comes within PROBABLE_MARGIN (a rare name in its
   area: the weight alone, made for any name, undersells it).
4. Otherwise NO_MATCH. A minor (under 17 at the run date) is never returned:
   the row says NO_MATCH, with the same CONFIDENCE as any other NO_MATCH, so
   the result does not even hint that a child was found.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache

import pandas as pd

from pipelines.bapenda.scoring import name_u_at_least, probability, weights
from pipelines.identity import comparisons as m
from pipelines.identity.cluster import NAME_AGREES

TARGET_PRECISION = 0.99  # of MATCHED (issue 21): the bound every MATCHED rule is held to
# log2 Bayes factor with the 1-in-N prior at which p >= TARGET_PRECISION (6.63)
MATCH_WEIGHT = math.log2(TARGET_PRECISION / (1 - TARGET_PRECISION))
PROBABLE_WEIGHT = 0.0  # p >= 0.5
MARGIN = 6.0  # the runner-up person is at least 64 times less likely
PROBABLE_MARGIN = 4.0  # ... 16 times, for a row a person will check
ADULT_AGE = 17
_NIK_PARTIAL = (1, 2)  # gamma_nik: same birth and sex part / serial one digit off
_DOB_CLOSE = (1, 2)  # gamma_dob: within a year / one typo
_AREA_AGREES = 1  # gamma_area: same kab/kota (1) or kecamatan (2)
_ADDRESS_AGREES = 2  # gamma_address: same street, RT and RW


@dataclass
class Decision:
    row_no: int
    status: str
    confidence: float
    rule: str
    person_id: str | None = None
    match_weight: float | None = None
    runner_up_weight: float | None = None
    candidates: int = 0
    weights: dict | None = None
    nik_neighbours: int | None = None  # persons one NIK digit from the registered NIK, when that rule was tried


def evidence(best: pd.Series) -> str:
    """The comparisons that spoke for the match, e.g. `nik_typo+name+dob+area`."""
    parts = []
    if best["gamma_nik"] == m.NIK_EXACT:
        parts.append("nik")
    elif best["gamma_nik"] in _NIK_PARTIAL:
        parts.append("nik_typo")
    if best["gamma_name"] >= NAME_AGREES:
        parts.append("name")
    elif best["gamma_name"] > 0:
        parts.append("name_variant")
    if best["gamma_dob"] >= m.DOB_ESTIMATED:
        parts.append("dob")
    elif best["gamma_dob"] in _DOB_CLOSE:
        parts.append("dob_near")
    if best["gamma_area"] >= _AREA_AGREES:
        parts.append("area")
    if best["gamma_address"] >= _ADDRESS_AGREES:
        parts.append("address")
    return "+".join(parts) or "none"


@cache
def _name_u() -> dict[int, float]:
    return name_u_at_least()


def one_digit_holder(persons: pd.DataFrame) -> tuple[pd.Series | None, int]:
    """(the person the one-digit NIK rule names, or None; how many persons hold
    a NIK one digit from the registered one)."""
    neighbours = persons[persons["nik_one_digit"]]
    agreeing = neighbours[(neighbours["gamma_name"] >= NAME_AGREES) & neighbours["dob_fits"]]
    if len(agreeing) != 1:
        return None, len(neighbours)
    holder = agreeing.iloc[0]
    if len(neighbours) * _name_u()[holder["gamma_name"]] > 1 - TARGET_PRECISION:
        return None, len(neighbours)
    # Someone else with that name and that birth date is as good an answer.
    namesakes = persons[(persons["person_id"] != holder["person_id"]) & (persons["gamma_name"] >= NAME_AGREES)
                        & (persons["gamma_dob"] >= m.DOB_ESTIMATED)]
    return (None if len(namesakes) else holder), len(neighbours)


def decide_row(row_no: int, persons: pd.DataFrame) -> Decision:
    """`persons`: the row's candidates, one (best) pair per person, strongest first."""
    if persons.empty:
        return Decision(row_no, "NO_MATCH", 0.0, "no_candidate")
    best = persons.iloc[0]
    runner_up = float(persons.iloc[1]["match_weight"]) if len(persons) > 1 else None
    decision = Decision(row_no, "NO_MATCH", 0.0, evidence(best), best["person_id"], float(best["match_weight"]),
                        runner_up, len(persons), weights(best))
    nik_holders = persons[persons["nik_agrees"]]
    weight = decision.match_weight
    tried = len(nik_holders) != 1 and persons["nik_one_digit"].any()
    typo_holder, decision.nik_neighbours = one_digit_holder(persons) if tried else (None, None)
    if len(nik_holders) == 1 or typo_holder is not None:
        holder = nik_holders.iloc[0] if len(nik_holders) == 1 else typo_holder
        decision.person_id, decision.match_weight = holder["person_id"], float(holder["match_weight"])
        decision.status, decision.weights = "MATCHED", weights(holder)
        decision.rule = "nik_exact" if len(nik_holders) == 1 else "nik_one_digit"
    elif (weight >= MATCH_WEIGHT and best["gamma_name"] >= NAME_AGREES
          and (runner_up is None or weight - runner_up >= MARGIN)):
        decision.status = "MATCHED"
    elif weight >= PROBABLE_WEIGHT and best["gamma_name"] > 0:
        decision.status = "PROBABLE"
    elif (best["gamma_name"] >= NAME_AGREES and best["gamma_area"] >= _AREA_AGREES
          and (runner_up is None or weight - runner_up >= PROBABLE_MARGIN)):
        decision.status, decision.rule = "PROBABLE", decision.rule + "+distinct"
    if decision.status != "NO_MATCH":
        decision.confidence = round(probability(decision.match_weight), 3)
    return decision


def decide(scored: pd.DataFrame) -> dict[int, Decision]:
    """One decision per register row that has candidates (scoring.score output)."""
    dob_fits = scored["gamma_dob"] != 0
    # The registered NIK is this person's, and neither name nor birth date says otherwise.
    scored = scored.assign(dob_fits=dob_fits,
                           nik_agrees=(scored["gamma_nik"] == m.NIK_EXACT) & dob_fits & (scored["gamma_name"] != 0))
    # NIK evidence belongs to the person, whichever of their nodes (spellings) scored best.
    for flag in ("nik_agrees", "nik_one_digit"):
        scored[flag] = scored.groupby(["row_no", "person_id"])[flag].transform("any")
    ordered = scored.sort_values(["row_no", "match_weight", "person_id"], ascending=[True, False, True])
    per_person = ordered.drop_duplicates(["row_no", "person_id"])
    return {int(row_no): decide_row(int(row_no), group)
            for row_no, group in per_person.groupby("row_no", sort=False)}


def is_minor(birth: dt.date, as_of: dt.date) -> bool:
    """Under 17 at the run date (a 29 February birthday counts from 1 March)."""
    try:
        seventeenth = birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:
        seventeenth = dt.date(birth.year + ADULT_AGE, 3, 1)
    return seventeenth > as_of
