"""Every comparison level means the same on Spark as on DuckDB.

The variation catalogue (bench/catalogue: abbreviated names, typos, swapped
dates, mistyped NIK serials, twins, ...) is scored on both engines: the same
pairs must come out with the same level in every comparison and the same
match weight. The levels whose SQL is rendered rather than carried over (list
functions, string similarities, Hamming distance) must all occur, so the
comparison covers them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from catalogue import read_catalogue_night, write_catalogue

from pipelines.identity import cluster as clustering
from pipelines.identity import scoring
from pipelines.identity.comparisons import COMPARISONS, gamma
from pipelines.identity.features import node_features

pytestmark = pytest.mark.spark

NIGHT = dt.date(2026, 11, 26)
KEY = ["unique_id_l", "unique_id_r"]
RENDERED = [("name", "one name contains the other"), ("name", "a word written as its initial"),
            ("name", "one letter apart"), ("name", "skeleton jaro-winkler >= 0.94"),
            ("name", "skeleton jaro-winkler >= 0.86"), ("dob", "same year, one date estimated"),
            ("dob", "one typo, or day and month swapped"), ("dob", "within a year"),
            ("place", "jaro-winkler >= 0.88"), ("mother", "one name contains the other"),
            ("nik", "same region and birth, serial one digit off")]


@pytest.fixture(scope="module")
def nodes(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("catalogue")
    write_catalogue(out, [NIGHT], persons=10_000, seed=7)
    nodes = node_features(read_catalogue_night(out, NIGHT))
    # The catalogue has no NIK serial mistyped by one digit: one such node is added.
    typo = nodes.iloc[[0]].assign(unique_id="serial-typo", dob=nodes["dob"].iloc[0] + dt.timedelta(days=1))
    serial = typo["nik_serial"].iloc[0]
    typo["nik_serial"] = serial[:-1] + ("1" if serial[-1] != "1" else "2")
    typo["nik"] = typo["nik"].str[:-4] + typo["nik_serial"]
    return pd.concat([nodes, typo], ignore_index=True)


def _scored(engine: str, nodes: pd.DataFrame, monkeypatch) -> pd.DataFrame:
    monkeypatch.setenv("DUKCAPIL_IDENTITY_ENGINE", engine)
    # Every blocked pair, however weak: a level that differs anywhere shows.
    pairs = scoring.score_within(nodes, scoring.load_model(), min_weight=-1e9)
    return clustering.classify(pairs).sort_values(KEY, ignore_index=True)


def test_every_level_scores_the_same_on_spark(nodes, monkeypatch):
    duck, spark = _scored("duckdb", nodes, monkeypatch), _scored("spark", nodes, monkeypatch)
    assert len(duck) > 500
    assert spark[KEY].equals(duck[KEY]), "the same blocked pairs"
    gammas = [c for c in duck.columns if c.startswith("gamma_")]
    assert len(gammas) == len(COMPARISONS)
    for column in gammas:
        differ = (spark[column].astype(int) != duck[column].astype(int)).sum()
        assert differ == 0, f"{column}: {differ} pairs at another level"
    assert (spark["match_weight"] - duck["match_weight"]).abs().max() < 1e-9
    assert spark["rule"].tolist() == duck["rule"].tolist()
    for comparison, label in RENDERED:
        assert (duck[f"gamma_{comparison}"] == gamma(comparison, label)).any(), (comparison, label)
