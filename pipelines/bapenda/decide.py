"""From scored pairs to one decision per register row, at explicit thresholds.

Evidence, strongest first (docs/bapenda.md has the measurements behind them):
1. `nik_exact`: the registered NIK is a person's NIK, and the name and birth
   date (when given) do not contradict it -> MATCHED.
2. Probabilistic: the best person's Splink weight. MATCHED at MATCH_WEIGHT
   and up when the name agrees and no other person comes within MARGIN;
   PROBABLE from PROBABLE_WEIGHT, or when the name and the registration area
   agree and nobody else comes within PROBABLE_MARGIN (a rare name in its
   area: the weight alone, made for any name, undersells it).
3. Otherwise NO_MATCH. A minor (under 17 at the run date) is never returned:
   the row says NO_MATCH, with the same CONFIDENCE as any other NO_MATCH, so
   the result does not even hint that a child was found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipelines.bapenda.scoring import probability, weights
from pipelines.identity import model as m
from pipelines.identity.cluster import NAME_AGREES

MATCH_WEIGHT = 8.0  # log2 Bayes factor with the 1-in-N prior: p >= 0.996
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
    if len(nik_holders) == 1:
        holder = nik_holders.iloc[0]
        decision.person_id, decision.match_weight = holder["person_id"], float(holder["match_weight"])
        decision.status, decision.rule, decision.weights = "MATCHED", "nik_exact", weights(holder)
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
    # The registered NIK is this person's, and neither name nor birth date says otherwise.
    scored = scored.assign(nik_agrees=(scored["gamma_nik"] == m.NIK_EXACT) & (scored["gamma_name"] != 0)
                           & (scored["gamma_dob"] != 0))
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
