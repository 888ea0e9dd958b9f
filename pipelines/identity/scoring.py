"""Scoring pairs of nodes with the trained Splink 5 model, on DuckDB or Spark.

The trained model is a versioned artefact, `model/identity_v<N>.json`,
retrained on demand (`dukcapil identity train`, train.py), never every night:
a night only scores pairs.
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
from pipelines.identity.blocking import BLOCKING_KEY, BLOCKING_RULES, SAME_NIK
from pipelines.identity.comparisons import COMPARISONS
from pipelines.settings import duckdb_memory

MODEL_DIR = Path(__file__).with_name("model")
MODEL_VERSION = 3


def settings(comparisons: list[dict] = COMPARISONS) -> dict:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        BLOCKING_KEY: BLOCKING_RULES,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,  # gamma_* columns feed the tier rules
        "additional_columns_to_retain": ["no_kk", "export_key"],
    }


def model_path(version: int = MODEL_VERSION) -> Path:
    return MODEL_DIR / f"identity_v{version}.json"


def load_model(path: Path | None = None) -> dict:
    """The trained artefact, with the code's blocking rules."""
    return {**json.loads((path or model_path()).read_text(encoding="utf-8")), BLOCKING_KEY: BLOCKING_RULES}


def as_text(nodes: pd.DataFrame) -> pd.DataFrame:
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


def _frame(predictions) -> pd.DataFrame:
    frame = predictions.as_pandas_dataframe()
    predictions.drop_table_from_database_and_remove_from_cache()
    return frame


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
            yield lambda nodes: api.register(spark.arrow(as_text(nodes))), spark.render_model(model)
    else:
        with duckdb_api() as api:
            yield lambda nodes: api.register(as_text(nodes)), model


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
        counts = count_comparisons_from_blocking_rules(api.register(as_text(nodes)), blocking_rules=BLOCKING_RULES,
                                                       link_type="dedupe_only", record_sample_proportion=1.0)
        return [(c["blocking_rule"], int(c["marginal_comparison_count"])) for c in counts]


def comparison_weights(pairs: pd.DataFrame) -> list[dict]:
    """Per pair, the match weight each comparison contributed: why a reviewer sees it."""
    columns = [c for c in pairs.columns if c.startswith("mw_")]
    return [{c[3:]: round(float(v), 2) for c, v in zip(columns, row)} for row in pairs[columns].itertuples(index=False)]
