"""The probabilistic tier: a Splink 5 model on DuckDB scoring pairs of nodes.

The comparisons are written as SQL so every level says what it means for
Indonesian records (see names.py and nik.py). The trained model is a
versioned artefact, `model/identity_v<N>.json`, retrained on demand
(`dukcapil identity train`), never every night: a night only scores pairs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker
from splink.blocking_analysis import count_comparisons_from_blocking_rules

MODEL_DIR = Path(__file__).with_name("model")
MODEL_VERSION = 1

# Levels are tested top-down; the first true one wins. Several gamma values are
# read by the clustering rules (cluster.py), so their order is part of the API.
NAME_SKELETON = 6  # gamma_name at or above this: same normalised name or same skeleton
DOB_EXACT, DOB_ESTIMATED = 4, 3
NIK_EXACT = 3
MOTHER_SIMILAR = 1  # gamma_mother >= this: mothers' names do not contradict


def _level(sql: str, label: str, null: bool = False) -> dict:
    level = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    return level


def _null(column: str) -> dict:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "null", null=True)


def _else() -> dict:
    return _level("ELSE", "else")


def _jw(column: str, threshold: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}'


# An unknown birth date is registered as 1 July or 31 December of the year.
_ESTIMATED = "('07-01', '12-31')"

COMPARISONS = [
    {"output_column_name": "name", "comparison_description": "full name, titles stripped", "comparison_levels": [
        _null("name_key"),
        _level('"name_key_l" = "name_key_r"', "same normalised name"),
        _level('"name_skel_l" = "name_skel_r"', "same spelling skeleton"),
        _level("list_has_all(string_split(name_key_l, ' '), string_split(name_key_r, ' '))"
               " OR list_has_all(string_split(name_key_r, ' '), string_split(name_key_l, ' '))",
               "one name contains the other"),
        _level('"first_skel_l" = "first_skel_r" AND "initials_l" = "initials_r"', "same given name and initials"),
        _level(_jw("name_skel", 0.94), "skeleton jaro-winkler >= 0.94"),
        _level(_jw("name_skel", 0.86), "skeleton jaro-winkler >= 0.86"),
        _level('"first_skel_l" = "first_skel_r"', "same given name"),
        _else()]},
    {"output_column_name": "dob", "comparison_description": "birth date", "comparison_levels": [
        _null("dob"),
        _level('"dob_l" = "dob_r"', "same date"),
        _level(f'"birth_year_l" = "birth_year_r" AND (strftime("dob_l", \'%m-%d\') IN {_ESTIMATED}'
               f' OR strftime("dob_r", \'%m-%d\') IN {_ESTIMATED})', "same year, one date estimated"),
        _level('damerau_levenshtein(CAST("dob_l" AS VARCHAR), CAST("dob_r" AS VARCHAR)) <= 1', "one typo"),
        _level('abs(date_diff(\'day\', "dob_l", "dob_r")) <= 366', "within a year"),
        _else()]},
    {"output_column_name": "sex", "comparison_description": "sex", "comparison_levels": [
        _null("sex"), _level('"sex_l" = "sex_r"', "same"), _else()]},
    {"output_column_name": "place", "comparison_description": "birth place", "comparison_levels": [
        _null("place_key"),
        _level('"place_key_l" = "place_key_r"', "same place"),
        _level(_jw("place_key", 0.88), "jaro-winkler >= 0.88"),
        _else()]},
    {"output_column_name": "mother", "comparison_description": "mother's name", "comparison_levels": [
        _null("mother_key"),
        _level('"mother_key_l" = "mother_key_r"', "same name"),
        _level('"mother_skel_l" = "mother_skel_r" OR ' + _jw("mother_skel", 0.9), "spelling variant"),
        _else()]},
    {"output_column_name": "father", "comparison_description": "father's name", "comparison_levels": [
        _null("father_key"),
        _level('"father_key_l" = "father_key_r"', "same name"),
        _level(_jw("father_key", 0.9), "jaro-winkler >= 0.9"),
        _else()]},
    # NIK parts compared for what they mean, never the whole number by edit distance.
    {"output_column_name": "nik", "comparison_description": "NIK parts", "comparison_levels": [
        _null("nik_birth"),
        _level('"nik_l" = "nik_r"', "same NIK"),
        _level('"nik_region_l" = "nik_region_r" AND "nik_birth_l" = "nik_birth_r" AND "nik_sex_l" = "nik_sex_r"'
               ' AND hamming("nik_serial_l", "nik_serial_r") = 1', "same region and birth, serial one digit off"),
        _level('"nik_birth_l" = "nik_birth_r" AND "nik_sex_l" = "nik_sex_r"', "same birth date and sex part"),
        _else()]},
]

# Which pairs are scored: the code's, not the artefact's, so that they always
# agree with the same rules run in PostgreSQL (sql/candidates.sql). The rules
# that block on a name without the birth date find a person whose birth date is
# wrong; they only pair dates the dob comparison can still score as evidence
# (a typo, an estimate; within a year only where the mothers agree too).
# Unbounded, namesakes born the same year (or to a same-named mother) met in
# blocks that grow with the square of the province: the name + year rule alone
# made 92% of the 1 M sample's pairs, none of which could reach the review band
# (docs/identity.md).
#
# Name + year is written as four rules that DuckDB can join on equal keys: a
# typo in the day keeps the month, one in the month keeps the day, and an
# estimated date on one side filters that side before the join. As one rule
# with ORs, DuckDB paired every namesake of the year first and filtered after:
# 88 s against 25 s for a batch of 0.93 M of the province's nodes.
_NAME_YEAR = "l.name_skel = r.name_skel AND l.birth_year = r.birth_year"
_TYPO = "damerau_levenshtein(CAST(l.dob AS VARCHAR), CAST(r.dob AS VARCHAR)) <= 1"
BLOCKING_RULES = [
    "l.nik = r.nik",
    "l.dob = r.dob AND l.first_skel = r.first_skel",
    "l.dob = r.dob AND l.mother_skel = r.mother_skel",
    f"{_NAME_YEAR} AND month(l.dob) = month(r.dob) AND {_TYPO}",
    f"{_NAME_YEAR} AND day(l.dob) = day(r.dob) AND {_TYPO}",
    f"{_NAME_YEAR} AND strftime(l.dob, '%m-%d') IN {_ESTIMATED}",
    f"{_NAME_YEAR} AND strftime(r.dob, '%m-%d') IN {_ESTIMATED}",
    "l.name_skel = r.name_skel AND l.nik_birth = r.nik_birth",
    "l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel AND (l.dob IS NULL OR r.dob IS NULL"
    " OR abs(date_diff('day', l.dob, r.dob)) <= 366 OR strftime(l.dob, '%m-%d') = strftime(r.dob, '%m-%d'))",
]
_BLOCKING = "blocking_rules_to_generate_predictions"


def settings() -> dict:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": COMPARISONS,
        _BLOCKING: BLOCKING_RULES,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,  # gamma_* columns feed the tier rules
        "additional_columns_to_retain": ["no_kk", "export_key"],
    }


def model_path(version: int = MODEL_VERSION) -> Path:
    return MODEL_DIR / f"identity_v{version}.json"


def load_model(path: Path | None = None) -> dict:
    """The trained artefact, with the code's blocking rules."""
    return {**json.loads((path or model_path()).read_text(encoding="utf-8")), _BLOCKING: BLOCKING_RULES}


def _text(nodes: pd.DataFrame) -> pd.DataFrame:
    """Text columns typed as text: an all-empty column (no mother's name on any
    of tonight's few new records) would otherwise reach DuckDB as DOUBLE."""
    return nodes.astype({c: "string" for c in nodes.columns if c not in ("dob", "birth_year")})


@contextlib.contextmanager
def duckdb_api() -> Iterator[DuckDBAPI]:
    """The Splink backend, closed on leaving. DuckDB gets a memory ceiling and a
    spill folder: an odd night with a huge block (thousands sharing a birth date
    and mother's name) then spills or fails its task instead of exhausting the
    machine. Closed on leaving, so that a big night's batches never hold more
    than one batch's tables (an unclosed database lives until a garbage
    collection frees its linker)."""
    con = duckdb.connect()
    try:
        con.execute("SET threads = 2")  # the machine is shared; see docs/identity.md
        con.execute("SET memory_limit = ?", [os.environ.get("DUKCAPIL_DUCKDB_MEMORY", "6GB")])
        con.execute("SET temp_directory = ?", [tempfile.gettempdir() + "/dukcapil-duckdb"])
        yield DuckDBAPI(con)
    finally:
        con.close()


def train(nodes: pd.DataFrame, label: str, out: Path | None = None, seed: int = 36) -> dict:
    """Estimate the model and write it as JSON; returns the model dict.

    u comes from random pairs, m from a label column (a sample's truth of who
    is who). Unsupervised EM was tried and rejected: duplicates are well under
    1% of records, and EM then drives some m values to underflow."""
    with duckdb_api() as api:
        linker = Linker(api.register(_text(nodes)), settings(), log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(
            ["l.dob = r.dob AND l.name_skel = r.name_skel"], recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
        linker.training.estimate_m_from_label_column(label)
        model = _smoothed(linker.misc.save_model_to_json())
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        weights = {key: value for key, value in model.items() if key != _BLOCKING}
        out.write_text(json.dumps(weights, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return model


def _smoothed(model: dict, floor: float = 0.002) -> dict:
    """Give every level an m of at least `floor`: a level no labelled duplicate
    happened to show (a typo in the birth date, say) must weigh against a
    match, not forbid one outright."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level in levels:
            level["m_probability"] = max(level.get("m_probability") or 0.0, floor)
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    return model


def _frame(predictions) -> pd.DataFrame:
    frame = predictions.as_pandas_dataframe()
    predictions.drop_table_from_database_and_remove_from_cache()
    return frame


# Pairs are thresholded inside DuckDB (a province has tens of millions of weak
# blocked pairs), except same-NIK pairs: a NIK collision scores low and still
# has to be seen, so those are scored again without a threshold.
SAME_NIK = ["l.nik = r.nik"]


def _pairs(frames: list) -> pd.DataFrame:
    pairs = pd.concat([_frame(f) for f in frames], ignore_index=True)
    # predict_between also returns a new node paired with itself: not a pair.
    pairs = pairs[pairs["unique_id_l"] != pairs["unique_id_r"]]
    return pairs.drop_duplicates(["unique_id_l", "unique_id_r"], ignore_index=True)


def score_within(nodes: pd.DataFrame, model: dict, min_weight: float) -> pd.DataFrame:
    """Pairs among `nodes` (a first night, or a benchmark) from min_weight up, and all same-NIK pairs."""
    with duckdb_api() as api:
        sdf = api.register(_text(nodes))
        inference = Linker(sdf, model, log_level=logging.WARNING).inference
        return _pairs([inference.predict(threshold_match_weight=min_weight, warning_mode="never"),
                       inference.predict_within(sdf, blocking_rules_to_generate_predictions=SAME_NIK,
                                                warning_mode="never")])


def score_new(new: pd.DataFrame, known: pd.DataFrame, model: dict, min_weight: float) -> pd.DataFrame:
    """Pairs that involve at least one new node (new-new and new-known) from
    min_weight up, and all same-NIK ones. Known nodes are only candidates
    (pre-blocked by the caller), never rematched among themselves."""
    with duckdb_api() as api:
        new_sdf, known_sdf = api.register(_text(new)), api.register(_text(known))
        inference = Linker(new_sdf, model, log_level=logging.WARNING).inference
        frames = []
        for rules, floor in ((None, min_weight), (SAME_NIK, None)):
            frames.append(inference.predict_within(new_sdf, blocking_rules_to_generate_predictions=rules,
                                                   threshold_match_weight=floor, warning_mode="never"))
            frames.append(inference.predict_between(new_sdf, known_sdf, blocking_rules_to_generate_predictions=rules,
                                                    threshold_match_weight=floor, warning_mode="never"))
        return _pairs(frames)


def pairs_per_rule(nodes: pd.DataFrame) -> list[tuple[str, int]]:
    """How many pairs each blocking rule adds to the ones before it (exact counts):
    what scoring a first night of these nodes costs, rule by rule."""
    with duckdb_api() as api:
        counts = count_comparisons_from_blocking_rules(api.register(_text(nodes)), blocking_rules=BLOCKING_RULES,
                                                       link_type="dedupe_only", record_sample_proportion=1.0)
        return [(c["blocking_rule"], int(c["marginal_comparison_count"])) for c in counts]


def comparison_weights(pairs: pd.DataFrame) -> list[dict]:
    """Per pair, the match weight each comparison contributed: why a reviewer sees it."""
    columns = [c for c in pairs.columns if c.startswith("mw_")]
    return [{c[3:]: round(float(v), 2) for c, v in zip(columns, row)} for row in pairs[columns].itertuples(index=False)]
