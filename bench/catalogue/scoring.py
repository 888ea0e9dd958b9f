"""Measuring a clustering against the catalogue's truth: recall per variation class,
pairwise precision and recall overall, and hard negatives merged per kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd


@dataclass
class CatalogueScores:
    precision: float  # over record pairs
    recall: float
    true_pairs: int
    found_pairs: int
    per_class: dict[str, tuple[int, int]]  # class ("mix" for two at once) -> (pairs joined, pairs)
    negatives: dict[str, tuple[int, int]]  # hard-negative kind -> (pairs of persons merged, pairs)
    queued: dict[str, int] = field(default_factory=dict)  # class -> true pairs left apart for a reviewer

    @property
    def twins_merged(self) -> int:
        return self.negatives.get("twin", (0, 0))[0]

    @property
    def collisions_apart(self) -> tuple[int, int]:
        merged, pairs = self.negatives.get("nik_collision", (0, 0))
        return pairs - merged, pairs


def _pair_count(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def evaluate(records: pd.DataFrame, person_of, negatives: pd.DataFrame,
             review: frozenset = frozenset()) -> CatalogueScores:
    """Score `person_of` (unique_id -> person) on `records` (unique_id, true_person_id,
    variation) and `negatives` (person_a, person_b, kind: pairs that must stay apart).

    A true pair of records counts for the class of its second registration; a
    negative counts as merged when any record of one person shares a person with
    any record of the other. Pairs whose persons are absent from `records` are skipped.
    `review`: record pairs (frozensets) left apart for a reviewer; a true pair
    among them is counted as queued."""
    frame = pd.DataFrame({"uid": records["unique_id"].to_numpy(), "truth": records["true_person_id"].to_numpy(),
                          "variation": records["variation"].to_numpy()})
    frame["found"] = [person_of[u] for u in frame["uid"]]
    true_pairs = _pair_count(frame.groupby("truth").size())
    found_pairs = _pair_count(frame.groupby("found").size())
    hits = _pair_count(frame.groupby(["truth", "found"]).size())
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    queued: dict[str, int] = defaultdict(int)
    multi = frame[frame["truth"].duplicated(keep=False)]
    for _, group in multi.groupby("truth"):
        for (ua, va, fa), (ub, vb, fb) in combinations(zip(group["uid"], group["variation"], group["found"]), 2):
            labels = [v for v in (va, vb) if v]
            key = "unlabelled" if not labels else "mix" if len(labels) > 1 or ";" in labels[0] else labels[0]
            per_class[key][0] += fa == fb
            per_class[key][1] += 1
            queued[key] += fa != fb and frozenset((ua, ub)) in review
    clusters = frame.groupby("truth")["found"].agg(set).to_dict()
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a, b, kind in zip(negatives["person_a"], negatives["person_b"], negatives["kind"]):
        if a in clusters and b in clusters:
            kinds[kind][0] += bool(clusters[a] & clusters[b])
            kinds[kind][1] += 1
    return CatalogueScores(hits / found_pairs if found_pairs else 1.0, hits / true_pairs if true_pairs else 1.0,
                           true_pairs, found_pairs, {k: tuple(v) for k, v in sorted(per_class.items())},
                           {k: tuple(v) for k, v in sorted(kinds.items())}, dict(queued))


def report_lines(scores: CatalogueScores) -> list[str]:
    """The per-class table and the hard negatives, counts only (no personal data);
    precision and recall overall are the scores' own fields."""
    lines = [f"  {'class':<22}{'joined':>8}{'pairs':>8}{'recall':>9}{'+ review':>10}"]
    for cls, (joined, pairs) in scores.per_class.items():
        reached = (joined + scores.queued.get(cls, 0)) / pairs
        lines.append(f"  {cls:<22}{joined:>8}{pairs:>8}{joined / pairs:>9.3f}{reached:>10.3f}")
    merged = "  ".join(f"{kind} {m}/{n}" for kind, (m, n) in scores.negatives.items())
    apart, collisions = scores.collisions_apart
    lines.append(f"  hard negatives merged: {merged}")
    lines.append(f"  twins merged {scores.twins_merged}, NIK collisions kept apart {apart}/{collisions}")
    return lines
