"""The review queue: uncertain pairs with why, and reviewers' verdicts.

A verdict is stored on the pair and acted on by the next night (the persons it
touches are re-clustered: 'same' merges them, 'different' splits them), and
honoured on every later night. Listing shows person ids and weights, never
names or NIKs: a reviewer opens the records in SIAK.
"""

from __future__ import annotations

VERDICTS = ("same", "different")


def open_pairs(cur, limit: int = 50) -> list[dict]:
    """Undecided pairs, strongest first, with the match weight of each comparison."""
    cur.execute("""SELECT node_l, node_r, person_l, person_r, round(match_weight::numeric, 2), weights, night
                   FROM warehouse.identity_review WHERE decision IS NULL
                   ORDER BY match_weight DESC, node_l, node_r LIMIT %s""", (limit,))
    names = ["node_l", "node_r", "person_l", "person_r", "match_weight", "weights", "night"]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def decide(cur, node_l: str, node_r: str, verdict: str, reviewer: str) -> None:
    """Record a verdict on a queued pair (either order of the two nodes)."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}")
    cur.execute("""UPDATE warehouse.identity_review
                   SET decision = %(v)s, reviewer = %(who)s, decided_at = now(), applied_night = NULL
                   WHERE (node_l, node_r) IN ((%(a)s, %(b)s), (%(b)s, %(a)s))""",
                {"v": verdict, "who": reviewer, "a": node_l, "b": node_r})
    if cur.rowcount != 1:
        raise LookupError("no such pair in warehouse.identity_review")
