"""From scored pairs to persons: the tiers' rules, clustering at explicit
thresholds under cannot-link constraints, and stable ids across nights.

Order of evidence, strongest first:
1. reviewer decisions (same / different), honoured every night;
2. deterministic tier: same NIK and agreeing core attributes -> one person;
3. NIK collision: same NIK but the name, birth date or sex plainly disagree
   -> never one person (and flagged); a same-NIK pair that only half agrees
   (a mistyped date, a parent's name missing) is left to the model;
4. twin guard, by evidence: two NIKs on one family card are twins or siblings
   unless the names are the same (a duplicate entry: the model decides) or
   nearly so (never joined without a reviewer);
5. probabilistic tier: pairs the model gives a match probability of at least
   MERGE_PROBABILITY, strongest first, unless the name plainly disagrees or
   both parents' names do.
A merge that would join two nodes kept apart by 1, 3 or 4 is refused, so
one wrong pair cannot chain two different people together.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipelines.identity import comparisons as m
from pipelines.identity import names

# Thresholds follow from the model's match probability, not from a bench: a
# pair at MERGE_PROBABILITY is wrong once in a thousand if the model is
# calibrated, the precision the product promises; a reviewer sees the pairs
# left apart that the model still calls more likely than not.
MERGE_PROBABILITY = 0.999
REVIEW_PROBABILITY = 0.5


def weight_of(probability: float) -> float:
    """A match probability as Splink's match weight (log2 odds, prior included)."""
    return math.log2(probability / (1 - probability))


MERGE_WEIGHT = weight_of(MERGE_PROBABILITY)
REVIEW_WEIGHT = weight_of(REVIEW_PROBABILITY)
NAME_AGREES = m.gamma("name", "skeleton jaro-winkler >= 0.86")  # at or above: "same name"


@dataclass
class Clustering:
    person_of: dict[str, str]  # node -> cluster representative (a node id)
    review: pd.DataFrame  # band pairs left in different clusters
    collisions: set[str] = field(default_factory=set)  # NIKs held by two or more people
    links: pd.DataFrame = field(default_factory=pd.DataFrame)  # pairs that joined clusters


def classify(pairs: pd.DataFrame) -> pd.DataFrame:
    """Adds `rule`: 'same_nik' (deterministic), 'collision', 'twin_guard',
    'review_only' (never joined without a reviewer) or 'splink' (probabilistic)."""
    same_nik = pairs["gamma_nik"] == m.NIK_EXACT
    # A name spelled past recognition still agrees when the given name and the mother do.
    name = (pairs["gamma_name"] >= NAME_AGREES) | ((pairs["gamma_name"] >= 1)
                                                   & (pairs["gamma_mother"] >= m.MOTHER_SIMILAR))
    same_date = pairs["gamma_dob"].isin([m.DOB_EXACT, m.DOB_ESTIMATED])
    core = (name & same_date
            & (pairs["gamma_sex"] != 0)
            & (pairs["gamma_mother"] != 0))
    # Two people under one NIK: a name, date or sex no registrar's slip explains.
    plainly_other = ~name | pairs["gamma_dob"].between(0, m.DOB_TYPO - 1) | (pairs["gamma_sex"] == 0)
    # Two NIKs on one family card: twins and siblings have different given names
    # (sometimes similar: HASAN / HUSEN); a duplicate entry has the same name
    # and birth date. Nearly the same, or a date apart, is for a reviewer.
    same_card = ~same_nik & (pairs["no_kk_l"] == pairs["no_kk_r"])
    entered_twice = (pairs["gamma_name"] >= m.NAME_SKELETON) & same_date
    rule = np.select([same_nik & core, same_nik & plainly_other,
                      same_card & (pairs["gamma_name"] < m.NAME_NEAR),
                      same_card & ~entered_twice],
                     ["same_nik", "collision", "twin_guard", "review_only"], "splink")
    return pairs.assign(rule=rule)


_SCORED = ["splink", "review_only"]  # rules whose pairs the weight decides (or a reviewer)


def relevant(pairs: pd.DataFrame) -> pd.DataFrame:
    """The classified pairs clustering needs: every tier rule, and probabilistic
    pairs from the review band up."""
    return pairs[~pairs["rule"].isin(_SCORED) | (pairs["match_weight"] >= REVIEW_WEIGHT)]


class _Groups:
    """Union-find whose components carry the nodes they must never join."""

    def __init__(self, nodes: Iterable[str]) -> None:
        self.parent = {n: n for n in nodes}
        self.apart: dict[str, set[str]] = defaultdict(set)

    def find(self, node: str) -> str:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def keep_apart(self, a: str, b: str) -> None:
        self.apart[self.find(a)].add(b)
        self.apart[self.find(b)].add(a)

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if any(self.find(x) == rb for x in self.apart.get(ra, ())) or \
                any(self.find(x) == ra for x in self.apart.get(rb, ())):
            return False
        if rb < ra:  # the smaller id represents: deterministic whatever the edge order
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.apart[ra] |= self.apart.pop(rb, set())
        return True


def _word_skeletons(keys: pd.Series) -> list[set[str]]:
    return [{names.skeleton(w) for w in str(k).split()} if isinstance(k, str) else set() for k in keys]


def _share_a_word(pairs: pd.DataFrame) -> pd.Series:
    """The names have a word in common, by spelling skeleton, anywhere (CALEB WEAVER / WEAVWR CALEB)."""
    if "name_key_l" not in pairs:
        return pd.Series(False, index=pairs.index)
    shared = [bool(a & b) for a, b in zip(_word_skeletons(pairs["name_key_l"]), _word_skeletons(pairs["name_key_r"]))]
    return pd.Series(shared, index=pairs.index, dtype=bool)


def cluster(nodes: Iterable[str], pairs: pd.DataFrame, decisions: Iterable[tuple[str, str, str]] = (),
            prior: Iterable[Iterable[str]] = ()) -> Clustering:
    """Cluster `nodes` from classified pairs (see classify). `prior` groups are
    nodes already known to be one person; `decisions` are reviewer verdicts."""
    groups = _Groups(nodes)
    decisions = list(decisions)
    for a, b, verdict in decisions:
        if verdict == "different" and a in groups.parent and b in groups.parent:
            groups.keep_apart(a, b)
    apart = pairs[pairs["rule"].isin(["collision", "twin_guard"])]
    for a, b in zip(apart["unique_id_l"], apart["unique_id_r"]):
        groups.keep_apart(a, b)
    for members in prior:
        members = list(members)
        for other in members[1:]:
            groups.join(members[0], other)
    for a, b, verdict in decisions:
        if verdict == "same" and a in groups.parent and b in groups.parent:
            groups.join(a, b)
    ordered = pairs.assign(_tier=(pairs["rule"] != "same_nik").astype(int)) \
        .sort_values(["_tier", "match_weight", "unique_id_l", "unique_id_r"], ascending=[True, False, True, True])
    # A name, or both parents' names, plainly disagreeing vetoes a probabilistic
    # join however strong the rest: such pairs go to a reviewer instead. Names
    # with a word in common do not plainly disagree: a given name replaced or
    # dropped, or the words in another order (FEBRL's corruptions), leave one;
    # the model still weighs the name as "else".
    veto = (((ordered["gamma_name"] == 0) & ~_share_a_word(ordered))
            | ((ordered["gamma_mother"] == 0) & (ordered["gamma_father"] == 0))) if "gamma_name" in ordered else False
    joining = ordered[(ordered["rule"] == "same_nik")
                      | ((ordered["rule"] == "splink") & (ordered["match_weight"] >= MERGE_WEIGHT) & ~veto)]
    joined = [groups.join(a, b) for a, b in zip(joining["unique_id_l"], joining["unique_id_r"])]
    person_of = {n: groups.find(n) for n in groups.parent}
    band = pairs[pairs["rule"].isin(_SCORED) & (pairs["match_weight"] >= REVIEW_WEIGHT)]
    decided = {frozenset((a, b)) for a, b, _ in decisions}
    left_apart = [person_of[a] != person_of[b] and frozenset((a, b)) not in decided
                  for a, b in zip(band["unique_id_l"], band["unique_id_r"])]
    collisions = pairs.loc[pairs["rule"] == "collision", "nik_l"]
    return Clustering(person_of, band[pd.Series(left_apart, index=band.index, dtype=bool)], set(collisions),
                      joining[pd.Series(joined, index=joining.index, dtype=bool)].drop(columns="_tier"))


def assign_ids(person_of: dict[str, str], old: dict[str, str],
               mint: Callable[[], str]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Person ids for clusters, carried forward from `old` (node -> person_id).

    Each old id lives on in the cluster holding most of its nodes; a cluster
    holding several old ids keeps the oldest (ids sort by age) and the others
    are redirected to it ('merge'); the other parts of a split old id, and
    clusters with no old id, get fresh ids from `mint`, in order of their
    smallest node, so the same input always yields the same ids."""
    shares: dict[str, Counter] = defaultdict(Counter)
    for node, pid in old.items():
        if node in person_of:
            shares[pid][person_of[node]] += 1
    homed: dict[str, list[str]] = defaultdict(list)
    for pid, counts in shares.items():
        home = min(counts, key=lambda c: (-counts[c], c))
        homed[home].append(pid)
    chosen: dict[str, str] = {}
    redirects = []
    for cluster_id, pids in homed.items():
        keep = min(pids)
        chosen[cluster_id] = keep
        redirects += [(pid, keep, "merge") for pid in sorted(pids) if pid != keep]
    # A cluster is named by its smallest node (see _Groups.join), so sorting
    # the names sorts by smallest node.
    for cluster_id in sorted(set(person_of.values()) - chosen.keys()):
        chosen[cluster_id] = mint()
    return {node: chosen[c] for node, c in person_of.items()}, redirects
