"""Resolving a whole frame in memory and measuring it against a truth.

The same features, model and clustering as a night (pipelines/identity/
resolve.py), without the warehouse: for the accuracy tests, the benchmarks and
FEBRL. Not production code: nothing in pipelines/ imports it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.identity import cluster as clustering
from pipelines.identity import scoring
from pipelines.identity.features import node_features, read_night


def resolve_frame(records: pd.DataFrame, trained: dict | None = None) -> clustering.Clustering:
    """Cluster records (unique_id, export_key and the identity columns) as a first night would."""
    nodes = node_features(records)
    pairs = clustering.relevant(clustering.classify(scoring.score_within(nodes, trained or scoring.load_model(), clustering.REVIEW_WEIGHT)))
    return clustering.cluster(nodes["unique_id"], pairs)


def read_sample_night(sample_dir: Path, night: dt.date) -> pd.DataFrame:
    """A generated night (pipelines.sample) with its truth: one row per record."""
    records = read_night(sample_dir, night)
    truth = pd.read_csv(Path(sample_dir) / "truth" / f"records_{night.isoformat()}.csv", dtype=str,
                        keep_default_na=False)
    truth["unique_id"] = truth["district_code"] + ":" + truth["source_row"]
    return records.merge(truth[["unique_id", "true_person_id", "anomaly"]], on="unique_id")


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    found_pairs: int
    double_nik_found: int  # people registered under two NIKs whose records were joined
    double_nik_people: int
    collisions_apart: int  # people sharing someone else's NIK kept apart from that someone
    collisions: int
    twins_merged: int  # must be 0


def _pairs(groups: dict) -> set[tuple[str, str]]:
    out = set()
    for members in groups.values():
        members = sorted(members)
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return out


def score(records: pd.DataFrame, person_of: dict[str, str]) -> Scores:
    """Pairwise precision/recall of a clustering against `true_person_id`."""
    truth, found = defaultdict(list), defaultdict(list)
    for uid, true_id in zip(records["unique_id"], records["true_person_id"]):
        truth[true_id].append(uid)
        found[person_of[uid]].append(uid)
    true_pairs, found_pairs = _pairs(truth), _pairs(found)
    hit = len(true_pairs & found_pairs)
    precision = hit / len(found_pairs) if found_pairs else 1.0
    recall = hit / len(true_pairs) if true_pairs else 1.0
    anomaly = dict(zip(records["unique_id"], records["anomaly"]))
    true_of = dict(zip(records["unique_id"], records["true_person_id"]))
    doubles = {true_of[u] for u in records["unique_id"] if anomaly[u] == "double_nik"}
    joined = {true_of[u] for u in records["unique_id"] if anomaly[u] == "double_nik"
              and all(person_of[v] == person_of[u] for v in truth[true_of[u]])}
    by_nik = records.groupby("nik")["unique_id"].apply(list)
    shared = [u for u in records["unique_id"] if anomaly[u] == "shared_nik"]
    nik_of = dict(zip(records["unique_id"], records["nik"]))
    apart = sum(all(person_of[v] != person_of[u] for v in by_nik[nik_of[u]] if true_of[v] != true_of[u])
                for u in shared)
    twins = [u for u in records["unique_id"] if anomaly[u] == "twin"]
    twin_pairs = {(a, b) for a, b in found_pairs - true_pairs if a in set(twins) and b in set(twins)}
    return Scores(precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
                  len(true_pairs), len(found_pairs), len(joined), len(doubles), apart, len(shared),
                  len(twin_pairs))


def staged_persons(cur, night: dt.date) -> dict[str, str]:
    """'district:row' -> person of each record resolve_night staged, as publishing
    will make it (through the record's node), inside resolve_night's transaction."""
    cur.execute((Path(__file__).parent / "sql" / "staged_persons.sql").read_text(encoding="utf-8"), {"night": night})
    return dict(cur.fetchall())
