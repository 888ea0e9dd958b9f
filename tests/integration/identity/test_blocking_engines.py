"""The blocking rules are written once for DuckDB (identity/blocking.py, the
first night) and once for PostgreSQL (sql/candidates.sql, the incremental
nights). This test, one case per rule in blocking.py, holds them equal on
generated data: a catalogue night's nodes split into published and new, the new
ones keeping only the keys the rule reads (the others emptied, so no other rule
can stand in for it); PostgreSQL must fetch exactly the published nodes that
DuckDB pairs with a new one."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd
import pytest
from catalogue import read_catalogue_night, write_catalogue

from pipelines.identity import resolve
from pipelines.identity.blocking import BLOCKING_RULES
from pipelines.identity.features import node_features
from pipelines.warehouse import connect
from pipelines.warehouse.copy import copy_frame

NIGHT = dt.date(2026, 12, 30)  # a night no other test stages


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """A catalogue night's nodes (second registrations and hard negatives among
    them, so the rules have pairs to find); every fourth one is tonight's."""
    root = tmp_path_factory.mktemp("catalogue")
    write_catalogue(root, [dt.date(2026, 11, 26)], persons=3_000, seed=5)
    frame = node_features(read_catalogue_night(root, dt.date(2026, 11, 26)))
    frame = frame.rename(columns={"unique_id": "node_id"}).assign(person_id=lambda f: "P-" + f["node_id"])
    return frame.assign(new=[i % 4 == 0 for i in range(len(frame))])


def _only_keys_of(rule: str, new: pd.DataFrame) -> pd.DataFrame:
    read = set(re.findall(r"\b[lr]\.(\w+)", rule))
    return new.assign(**{key: None for key in resolve.KEY_COLUMNS if key not in read})


def _duckdb_candidates(known: pd.DataFrame, new: pd.DataFrame) -> set[str]:
    con = duckdb.connect()
    con.register("known_nodes", known)
    con.register("new_frame", new)
    # Emptied keys keep their column's type (a bare NULL column has none).
    con.execute("CREATE TABLE new_nodes AS SELECT * FROM known_nodes WHERE false")
    con.execute("INSERT INTO new_nodes BY NAME SELECT * FROM new_frame")
    found = set()
    for rule in BLOCKING_RULES:
        # A rule pairs l with r; which of the two is tonight's does not matter.
        for new_side, known_side in (("l", "r"), ("r", "l")):
            found |= {row[0] for row in con.execute(
                f"SELECT {known_side}.node_id FROM new_nodes {new_side} JOIN known_nodes {known_side} ON ({rule})"
            ).fetchall()}
    return found


def _postgres_candidates(known: pd.DataFrame, new: pd.DataFrame) -> set[str]:
    with connect() as conn, conn.cursor() as cur:
        copy_frame(cur, "warehouse.identity_node", known.assign(first_night=NIGHT - dt.timedelta(days=1)),
                   [*resolve.NODE_COLUMNS, "first_night"])
        cur.execute("CREATE TEMP TABLE night_node (node_id text, export_key text)")
        found = set(resolve.candidates(cur, NIGHT, new)["unique_id"])
        conn.rollback()  # nothing of this stays in the shared test warehouse
    return found


@pytest.mark.parametrize("rule", BLOCKING_RULES, ids=range(len(BLOCKING_RULES)))
def test_postgres_fetches_what_the_rule_pairs_in_duckdb(nodes, rule):
    known = nodes[~nodes["new"]].drop(columns="new")
    new = _only_keys_of(rule, nodes[nodes["new"]].drop(columns="new"))
    expected = _duckdb_candidates(known, new)
    assert expected, "the data gives this rule nothing to find"
    assert _postgres_candidates(known, new) == expected
