"""Scoring on Spark: the same model, comparisons and blocking rules as on DuckDB.

`DUKCAPIL_IDENTITY_ENGINE=spark` makes scoring.score_within / score_new run
Splink's Spark backend against `DUKCAPIL_SPARK_MASTER` (default `local[2]`).
The comparisons and blocking rules are written once, in DuckDB's SQL
(comparisons.py, blocking.py); `render` turns each into Spark SQL with sqlglot, and maps the few
functions sqlglot cannot (the list functions, Hamming distance) onto Spark's
own, and the string similarities onto the UDFs Splink ships as a jar.
Everything around scoring (features, clustering, ids, staging) is unchanged.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import logging
import tempfile
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
import sqlglot
from sqlglot import exp

from pipelines.settings import identity_engine, spark_driver_memory, spark_master, spark_partitions

ENGINES = ("duckdb", "spark")


def engine() -> str:
    """Where pairs are scored: DuckDB in this process (default) or Spark."""
    name = identity_engine()
    if name not in ENGINES:
        raise ValueError(f"DUKCAPIL_IDENTITY_ENGINE={name!r}: expected one of {', '.join(ENGINES)}")
    return name


def _spark(sql: str) -> exp.Expression:
    return sqlglot.parse_one(sql, read="spark")


def _function(node: exp.Expression) -> exp.Expression:
    """One DuckDB expression node as Spark understands it (children already rendered)."""
    if isinstance(node, exp.Anonymous):
        name, args = node.name.lower(), [a.sql("spark") for a in node.expressions]
        if name == "list_has_all":  # every element of the second is in the first
            return _spark(f"size(array_except({args[1]}, {args[0]})) = 0")
        if name == "list_bool_and":
            return _spark(f"forall({args[0]}, b -> b)")
        if name == "hamming":  # DuckDB refuses strings of unequal length; so does this (NULL)
            a, b = args
            return _spark(f"CASE WHEN length({a}) = length({b}) THEN size(filter(sequence(1, length({a})),"
                          f" k -> substring({a}, k, 1) <> substring({b}, k, 1))) END")
    if isinstance(node, exp.JarowinklerSimilarity):  # Splink's jar registers it as jaro_winkler
        return _spark(f"jaro_winkler({node.this.sql('spark')}, {node.expression.sql('spark')})")
    if isinstance(node, exp.Length) and isinstance(node.this, exp.Split):  # len(list): the list's size
        return _spark(f"size({node.this.sql('spark')})")
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        # DuckDB counts list positions from 1, Spark's [] from 0: element_at counts from 1.
        return _spark(f"element_at({node.this.sql('spark')}, {node.expressions[0].sql('spark')})")
    return node


def render(sql: str) -> str:
    """A comparison level's or blocking rule's DuckDB SQL as Spark SQL."""
    if sql.strip().upper() == "ELSE":
        return sql
    tree = sqlglot.parse_one(sql, read="duckdb")
    # Children first, so that a rewritten node is built from rendered parts.
    for node in list(tree.walk(bfs=False))[::-1]:
        rendered = _function(node)
        if rendered is not node:
            if node is tree:
                tree = rendered
            else:
                node.replace(rendered)
    return tree.sql("spark")


def render_model(model: dict) -> dict:
    """The model (trained artefact and the code's blocking rules) with its SQL rendered for Spark."""
    model = copy.deepcopy(model)
    model.pop("sql_dialect", None)
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = render(level["sql_condition"])
    rules = "blocking_rules_to_generate_predictions"
    model[rules] = [render(r if isinstance(r, str) else r["blocking_rule"]) for r in model.get(rules) or []]
    return model


def arrow(frame: pd.DataFrame) -> pa.Table:
    """Nodes handed to Spark through Arrow (dates stay dates, missing text stays NULL)."""
    return pa.Table.from_pandas(frame, preserve_index=False)


_session = None


def session():
    """The process's Spark session, started on first use and stopped at exit (with its JVM, see stop).
    `DUKCAPIL_SPARK_MASTER`: local[N] runs Spark inside this machine (a JVM
    child process); spark://, yarn or k8s:// a cluster, given Splink's jar."""
    global _session
    if _session is None:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location

        builder = (SparkSession.builder.appName("dukcapil-identity")
                   .master(spark_master())
                   .config("spark.jars", similarity_jar_location())
                   # In local mode the driver's heap is the executors' too: 4g ran out at 100 k nodes.
                   .config("spark.driver.memory", spark_driver_memory())
                   # Few partitions: Splink repartitions its big tables to half this number.
                   .config("spark.sql.shuffle.partitions", spark_partitions())
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.ui.enabled", "false")
                   # A progress bar per stage floods a worker's log and a bench's output.
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.local.dir", tempfile.gettempdir() + "/dukcapil-spark"))
        _session = builder.getOrCreate()
        # py4j logs its connections closing as the interpreter exits, after logging shut down.
        logging.getLogger("py4j").setLevel(logging.WARNING)
        _session.sparkContext.setLogLevel("ERROR")
        atexit.register(stop)
    return _session


def stop() -> None:
    """Stop the session and the JVM pyspark started for it (stopping the
    session alone leaves that JVM running until this process exits)."""
    global _session
    if _session is None:
        return
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    _session.stop()
    _session = None
    if gateway is not None:
        gateway.shutdown()
        if getattr(gateway, "proc", None) is not None:  # the driver JVM pyspark launched as our child
            gateway.proc.stdin.close()  # its end of this pipe closing is its cue to exit
            gateway.proc.wait(timeout=60)
        SparkContext._gateway = SparkContext._jvm = None


@contextlib.contextmanager
def spark_api() -> Iterator:
    """Splink's Spark backend; what it cached is released on leaving."""
    from splink.backends.spark import SparkAPI

    spark = session()
    try:
        # Persisted in the executors' memory: a night's tables are used once and dropped.
        yield SparkAPI(spark_session=spark, break_lineage_method="persist")
    finally:
        spark.catalog.clearCache()
