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
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from pipelines.identity import spark
from pipelines.settings import duckdb_memory

MODEL_DIR = Path(__file__).with_name("model")
MODEL_VERSION = 3


def _level(sql: str, label: str, null: bool = False) -> dict:
    level = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    return level


def _null(column: str) -> dict:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "null", null=True)


def _residence_unknown(column: str) -> dict:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL OR "mother_skel_l" = "mother_skel_r"',
                  "unknown, or the mothers agree", null=True)


def _else() -> dict:
    return _level("ELSE", "else")


def _same_or_similar(name: str, description: str, column: str, same: str, threshold: float,
                     null: dict | None = None) -> dict:
    return {"output_column_name": name, "comparison_description": description, "comparison_levels": [
        null or _null(column), _level(f'"{column}_l" = "{column}_r"', same),
        _level(_jw(column, threshold), f"jaro-winkler >= {threshold}"), _else()]}


def _jw(column: str, threshold: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}'


def _contains(column: str) -> str:
    """Every word of one name is a word of the other (HADI HASAN / HADI, SITI AMINAH / AMINAH)."""
    left, right = f"string_split(\"{column}_l\", ' ')", f"string_split(\"{column}_r\", ' ')"
    return f"list_has_all({left}, {right}) OR list_has_all({right}, {left})"


def _abbreviated(column: str) -> str:
    """Same number of words, each written as its initial on one side or else at
    most one letter apart (I NUR / IMAS NUR, B HIDAJAT / BAMBANG HIDAYAT)."""
    left, right = f"string_split(\"{column}_l\", ' ')", f"string_split(\"{column}_r\", ' ')"
    return (f'"initials_l" = "initials_r" AND len({left}) = len({right}) AND list_bool_and(list_transform('
            f"range(1, len({left}) + 1), lambda i: length({left}[i]) = 1 OR length({right}[i]) = 1"
            f" OR damerau_levenshtein({left}[i], {right}[i]) <= 1))")


# An unknown birth date is registered as 1 July or 31 December of the year.
_ESTIMATED = "('07-01', '12-31')"
# The NIK's birth part is written from the birth date: where the dates agree it
# repeats their evidence, so the NIK's partial levels count only where the
# dates differ or one is unknown (then they are evidence of a mistyped date).
_DATES_DIFFER = '("dob_l" IS NULL OR "dob_r" IS NULL OR "dob_l" <> "dob_r")'

COMPARISONS = [
    {"output_column_name": "name", "comparison_description": "full name, titles stripped", "comparison_levels": [
        _null("name_key"),
        _level('"name_key_l" = "name_key_r"', "same normalised name"),
        _level('"name_skel_l" = "name_skel_r"', "same spelling skeleton"),
        _level(_contains("name_key"), "one name contains the other"),
        _level('"first_skel_l" = "first_skel_r" AND "initials_l" = "initials_r"', "same given name and initials"),
        _level(_abbreviated("name_key"), "a word written as its initial"),
        # On the name as written too: folding YYAN and YAYAN to skeletons puts them two letters apart.
        _level('damerau_levenshtein("name_key_l", "name_key_r") <= 1'
               ' OR damerau_levenshtein("name_skel_l", "name_skel_r") <= 1', "one letter apart"),
        _level(_jw("name_skel", 0.94), "skeleton jaro-winkler >= 0.94"),
        _level(_jw("name_skel", 0.86), "skeleton jaro-winkler >= 0.86"),
        _level('"first_skel_l" = "first_skel_r"', "same given name"),
        _else()]},
    {"output_column_name": "dob", "comparison_description": "birth date", "comparison_levels": [
        _null("dob"),
        _level('"dob_l" = "dob_r"', "same date"),
        _level(f'"birth_year_l" = "birth_year_r" AND (strftime("dob_l", \'%m-%d\') IN {_ESTIMATED}'
               f' OR strftime("dob_r", \'%m-%d\') IN {_ESTIMATED})', "same year, one date estimated"),
        _level('damerau_levenshtein(CAST("dob_l" AS VARCHAR), CAST("dob_r" AS VARCHAR)) <= 1'
               ' OR ("birth_year_l" = "birth_year_r" AND month("dob_l") = day("dob_r")'
               ' AND day("dob_l") = month("dob_r"))', "one typo, or day and month swapped"),
        _level('abs(date_diff(\'day\', "dob_l", "dob_r")) <= 366', "within a year"),
        _else()]},
    {"output_column_name": "sex", "comparison_description": "sex", "comparison_levels": [
        _null("sex"), _level('"sex_l" = "sex_r"', "same"), _else()]},
    _same_or_similar("place", "birth place", "place_key", "same place", 0.88),
    {"output_column_name": "mother", "comparison_description": "mother's name", "comparison_levels": [
        _null("mother_key"),
        _level('"mother_key_l" = "mother_key_r"', "same name"),
        _level('"mother_skel_l" = "mother_skel_r" OR ' + _jw("mother_skel", 0.9), "spelling variant"),
        _level(_contains("mother_key"), "one name contains the other"),
        _else()]},
    {"output_column_name": "father", "comparison_description": "father's name", "comparison_levels": [
        _null("father_key"),
        _level('"father_key_l" = "father_key_r"', "same name"),
        _level(_jw("father_key", 0.9), "jaro-winkler >= 0.9"),
        _level(_contains("father_key"), "one name contains the other"),
        _else()]},
    # Where the person lives (not part of a node: see features.ADDRESS_COLUMNS).
    # A family lives together: where the mothers' names agree, the address
    # repeats their evidence and counts as unknown (siblings RINI / RIINI, a
    # year apart on two cards in one desa, were joined by counting both). It is
    # trained without that condition (see train): whether a mother's name is
    # written says nothing of where a person lives.
    _same_or_similar("address", "address as written", "address_key", "same address", 0.9,
                     _residence_unknown("address_key")),
    {"output_column_name": "desa", "comparison_description": "desa/kelurahan code", "comparison_levels": [
        _residence_unknown("desa"), _level('"desa_l" = "desa_r"', "same desa"), _else()]},
    # NIK parts compared for what they mean, never the whole number by edit distance.
    {"output_column_name": "nik", "comparison_description": "NIK parts", "comparison_levels": [
        _null("nik_birth"),
        _level('"nik_l" = "nik_r"', "same NIK"),
        _level('"nik_region_l" = "nik_region_r" AND "nik_birth_l" = "nik_birth_r" AND "nik_sex_l" = "nik_sex_r"'
               f' AND hamming("nik_serial_l", "nik_serial_r") = 1 AND {_DATES_DIFFER}',
               "same region and birth, serial one digit off"),
        _level(f'"nik_birth_l" = "nik_birth_r" AND "nik_sex_l" = "nik_sex_r" AND {_DATES_DIFFER}',
               "same birth date and sex part"),
        _else()]},
]


def gamma(comparison: str, label: str) -> int:
    """The gamma value Splink gives a level: levels count down to 0 (else) from
    the top, the null level aside. The tier rules (cluster.py) and Bapenda read
    levels by label, so a level added to a comparison renumbers nothing they use."""
    levels = next(c for c in COMPARISONS if c["output_column_name"] == comparison)["comparison_levels"]
    labels = [lv["label_for_charts"] for lv in levels if not lv.get("is_null_level")]
    return len(labels) - 1 - labels.index(label)


NAME_SKELETON = gamma("name", "same spelling skeleton")  # at or above: same normalised name or skeleton
NAME_NEAR = gamma("name", "one letter apart")  # at or above: the same name, or nearly
DOB_EXACT, DOB_ESTIMATED = gamma("dob", "same date"), gamma("dob", "same year, one date estimated")
DOB_TYPO = gamma("dob", "one typo, or day and month swapped")
NIK_EXACT = gamma("nik", "same NIK")
MOTHER_SIMILAR = gamma("mother", "one name contains the other")  # at or above: mothers' names do not contradict

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
_SAME_LAST = "split_part(l.name_key, ' ', -1) = split_part(r.name_key, ' ', -1)"
BLOCKING_RULES = [
    "l.nik = r.nik",
    "l.dob = r.dob AND l.first_skel = r.first_skel",
    f"l.dob = r.dob AND {_SAME_LAST}",
    "l.dob = r.dob AND l.mother_skel = r.mother_skel",
    f"{_NAME_YEAR} AND month(l.dob) = month(r.dob) AND {_TYPO}",
    f"{_NAME_YEAR} AND day(l.dob) = day(r.dob) AND {_TYPO}",
    f"{_NAME_YEAR} AND month(l.dob) = day(r.dob) AND day(l.dob) = month(r.dob)",
    f"{_NAME_YEAR} AND strftime(l.dob, '%m-%d') IN {_ESTIMATED}",
    f"{_NAME_YEAR} AND strftime(r.dob, '%m-%d') IN {_ESTIMATED}",
    "l.name_skel = r.name_skel AND l.nik_birth = r.nik_birth",
    "l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel AND (l.dob IS NULL OR r.dob IS NULL"
    " OR abs(date_diff('day', l.dob, r.dob)) <= 366 OR strftime(l.dob, '%m-%d') = strftime(r.dob, '%m-%d'))",
    # Neighbours: where the name or the date is corrupted, the desa or the address
    # still holds (FEBRL's postcode and street): one desa and the birth date or
    # the name's skeleton, one address and the birth date. Every rule on equal
    # keys grows with the square of the people sharing them: in one desa, a given
    # name with the last word's initial (or the reverse) made 0.57 M (0.97 M)
    # pairs of the 1 M sample, the whole name 0.19 M, the date 0.04 M. An address
    # recurs from desa to desa (KP. SUKAMAJU): with a given name it made 185 k
    # pairs of the 100 k sample, with the birth date 2 k.
    "l.desa = r.desa AND l.dob = r.dob",
    "l.desa = r.desa AND l.name_skel = r.name_skel",
    "l.address_key = r.address_key AND l.dob = r.dob",
]
_BLOCKING = "blocking_rules_to_generate_predictions"


def settings(comparisons: list[dict] = COMPARISONS) -> dict:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
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
        con.execute("SET memory_limit = ?", [duckdb_memory()])
        con.execute("SET temp_directory = ?", [tempfile.gettempdir() + "/dukcapil-duckdb"])
        yield DuckDBAPI(con)
    finally:
        con.close()


# Training never reads an answer key: u comes from random pairs, m from
# expectation maximisation inside blocks where duplicates are common, each
# block leaving free the comparisons it estimates. Pairs sharing a NIK are
# mostly one person listed twice (movers) against a few collisions: they teach
# how a person's name, date, parents and place vary. Namesakes sharing a
# mother's name teach how often a person's NIK and birth date differ. (A block
# on the birth date and mother's name was tried: there twins outnumber
# duplicates, and EM learnt twins as the matches.)
EM_BLOCKS = ["l.nik = r.nik", "l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel"]
# The prior (how likely two random nodes are one person) is the rate of pairs
# that agree on NIK, name and birth date, taken as this share of all duplicates:
# a stated assumption (movers listed in two districts are most duplicates).
SURE_PAIRS = ["l.nik = r.nik AND l.name_skel = r.name_skel AND l.dob = r.dob"]
SURE_SHARE = 0.6
# A registrar writes any field of a second registration differently now and
# then: at least this share of duplicates is spread over each comparison's
# lower levels, so a level the training nights never showed (an initial for the
# given name, a swapped date) weighs as weak evidence, never as a veto.
FIELD_ERROR = 0.05
U_PAIRS = 5_000_000  # random pairs u is counted on; a level none of them showed gets u = 1 / U_PAIRS


# Where a person lives is learnt only from pairs one district lists, namesakes
# there. Listed by two districts, a duplicate is a mover and its address differs
# by construction; the NIK block is mostly such movers, and EM there put the m
# of "same address" at 1e-74 (a veto on every duplicate registered at home).
RESIDENCE = ("address", "desa")
RESIDENCE_BLOCKS = ["l.export_key = r.export_key AND l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel"]


def _plain_residence(comparison: dict) -> dict:
    """A residence comparison whose null level is only the missing value (for training)."""
    column = "address_key" if comparison["output_column_name"] == "address" else "desa"
    return {**comparison, "comparison_levels": [_null(column)] + comparison["comparison_levels"][1:]}


def _conditioned(trained: dict, comparison: dict) -> dict:
    """The trained residence comparison with the scoring null level put back."""
    return {**trained, "comparison_levels": [comparison["comparison_levels"][0]] + trained["comparison_levels"][1:]}


def _estimated(nodes: pd.DataFrame, seed: int, sure: list[str], blocks: list[str], comparisons: list[dict]) -> dict:
    with duckdb_api() as api:
        linker = Linker(api.register(_text(nodes)), settings(comparisons), log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(sure, recall=SURE_SHARE)
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
        for block in blocks:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True)
        return linker.misc.save_model_to_json()


def train(nodes: pd.DataFrame, out: Path | None = None, seed: int = 36, sure: list[str] = SURE_PAIRS,
          blocks: list[str] = EM_BLOCKS, residence_blocks: list[str] | None = RESIDENCE_BLOCKS) -> dict:
    """Estimate the model from unlabelled nodes and write it as JSON; returns the model dict.
    `sure` and `blocks` are for records without a NIK (FEBRL); without
    `residence_blocks` the address is learnt in `blocks` like the rest."""
    if not residence_blocks:
        model = _estimated(nodes, seed, sure, blocks, COMPARISONS)
    else:
        split = [c["output_column_name"] in RESIDENCE for c in COMPARISONS]
        model = _estimated(nodes, seed, sure, blocks, [c for c, r in zip(COMPARISONS, split) if not r])
        # EM needs the other comparisons beside to tell duplicates from namesakes.
        local = _estimated(nodes, seed, sure, residence_blocks,
                           [_plain_residence(c) if r else c for c, r in zip(COMPARISONS, split)])["comparisons"]
        rest = iter(model["comparisons"])
        model["comparisons"] = [_conditioned(trained, c) if r else next(rest)
                                for trained, c, r in zip(local, COMPARISONS, split)]
    model = _smoothed(model)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        weights = {key: value for key, value in model.items() if key != _BLOCKING}
        out.write_text(json.dumps(weights, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return model


def _smoothed(model: dict, error: float = FIELD_ERROR) -> dict:
    """Spread `error` of each comparison's m over its levels below the top
    (see FIELD_ERROR); a level no random pair showed gets u = 1 / U_PAIRS."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        lower = levels[1:]
        for level in lower:
            level["m_probability"] = max(level.get("m_probability") or 0.0, error / len(lower))
        # A field the nodes never fill (FEBRL has no parents) was not trained at all.
        levels[0]["m_probability"] = levels[0].get("m_probability") or 1 - error
        for level in levels:
            level["u_probability"] = level.get("u_probability") or 1 / U_PAIRS
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


@contextlib.contextmanager
def _engine(model: dict) -> Iterator[tuple]:
    """The scoring backend the settings choose (spark.engine), a function that
    registers nodes with it, and the model with its SQL in that backend's dialect."""
    if spark.engine() == "spark":
        with spark.spark_api() as api:
            yield lambda nodes: api.register(spark.arrow(_text(nodes))), spark.render_model(model)
    else:
        with duckdb_api() as api:
            yield lambda nodes: api.register(_text(nodes)), model


def score_within(nodes: pd.DataFrame, model: dict, min_weight: float) -> pd.DataFrame:
    """Pairs among `nodes` (a first night, or a benchmark) from min_weight up, and all same-NIK pairs."""
    with _engine(model) as (register, model):
        sdf = register(nodes)
        inference = Linker(sdf, model, log_level=logging.WARNING).inference
        return _pairs([inference.predict(threshold_match_weight=min_weight, warning_mode="never"),
                       inference.predict_within(sdf, blocking_rules_to_generate_predictions=SAME_NIK,
                                                warning_mode="never")])


def score_new(new: pd.DataFrame, known: pd.DataFrame, model: dict, min_weight: float) -> pd.DataFrame:
    """Pairs that involve at least one new node (new-new and new-known) from
    min_weight up, and all same-NIK ones. Known nodes are only candidates
    (pre-blocked by the caller), never rematched among themselves."""
    with _engine(model) as (register, model):
        new_sdf, known_sdf = register(new), register(known)
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
