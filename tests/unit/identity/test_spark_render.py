"""The comparisons and blocking rules, written once in DuckDB's SQL, rendered for
Spark (pipelines/identity/spark.py). No JVM here: tests/spark runs them."""

from __future__ import annotations

import re

import pytest
import sqlglot

from pipelines.identity import scoring, spark

# DuckDB functions Spark lacks or spells otherwise.
DUCKDB_ONLY = ["list_has_all", "list_bool_and", "list_transform", "string_split", "hamming", "strftime",
               "jaro_winkler_similarity", "jarowinkler_similarity", "date_diff", "range", "len"]


def _conditions(trained: dict) -> list[str]:
    return [level["sql_condition"] for comparison in trained["comparisons"]
            for level in comparison["comparison_levels"]] + trained["blocking_rules_to_generate_predictions"]


def test_every_condition_renders_to_spark_sql_without_duckdb_functions():
    rendered = _conditions(spark.render_model(scoring.load_model()))
    assert len(rendered) == len(_conditions(scoring.load_model()))
    for sql in (s for s in rendered if s != "ELSE"):
        sqlglot.parse_one(sql, read="spark")  # Splink parses it as Spark SQL
        called = {name.lower() for name in re.findall(r"([A-Za-z_]+)\s*\(", sql)}
        assert not called & set(DUCKDB_ONLY), sql


@pytest.mark.parametrize(("duckdb", "spark_sql"), [
    # list_has_all(a, b): every element of b is in a.
    ("list_has_all(a, b)", "SIZE(ARRAY_EXCEPT(b, a)) = 0"),
    ("len(string_split(a, ' '))", "SIZE(SPLIT(a, "),
    # DuckDB lists count from 1, Spark's [] from 0.
    ("x[i]", "ELEMENT_AT(x, i)"),
    ("list_bool_and(l)", "FORALL(l, b -> b)"),
    ("jaro_winkler_similarity(a, b) >= 0.9", "JARO_WINKLER(a, b) >= 0.9"),
    ("hamming(a, b) = 1", "SIZE(FILTER(SEQUENCE(1, LENGTH(a)), k -> SUBSTRING(a, k, 1) <> SUBSTRING(b, k, 1)))"),
    ("strftime(d, '%m-%d') IN ('07-01')", "DATE_FORMAT(d, 'MM-dd') IN ('07-01')"),
    ("damerau_levenshtein(a, b) <= 1", "DAMERAU_LEVENSHTEIN(a, b) <= 1"),  # Splink's jar, same name
])
def test_duckdb_functions_become_their_spark_equivalents(duckdb, spark_sql):
    assert spark_sql in spark.render(duckdb)


def test_else_stays_else_and_the_engine_is_checked(monkeypatch):
    assert spark.render("ELSE") == "ELSE"
    monkeypatch.setenv("DUKCAPIL_IDENTITY_ENGINE", "Spark")
    assert spark.engine() == "spark"
    monkeypatch.delenv("DUKCAPIL_IDENTITY_ENGINE")
    assert spark.engine() == "duckdb"
    monkeypatch.setenv("DUKCAPIL_IDENTITY_ENGINE", "flink")
    with pytest.raises(ValueError, match="DUKCAPIL_IDENTITY_ENGINE='flink'"):
        spark.engine()
