"""Accuracy floors on the variation catalogue (bench/catalogue), data written
independently of pipelines.sample and never used to train or choose a number:
`make bench-identity` prints the full figures; these floors keep them from
sliding back (issue 21)."""

from __future__ import annotations

import datetime as dt

from catalogue import evaluate, read_catalogue_night, read_negatives, write_catalogue
from identity_eval import resolve_frame

NIGHT = dt.date(2026, 11, 26)
# Two variations at once (a name typo with a date typo, say) often leave too
# little for the model alone: a reviewer decides those. (Without parents'
# names, name, date, sex and place were ~94% one person until the desa and
# address were compared: those are now joined.)
REVIEWED = {"mix"}


def test_catalogue_floors(tmp_path):
    write_catalogue(tmp_path, [NIGHT], persons=10_000, seed=3)
    records = read_catalogue_night(tmp_path, NIGHT)
    result = resolve_frame(records)
    review = frozenset(map(frozenset, zip(result.review["unique_id_l"], result.review["unique_id_r"])))
    scores = evaluate(records, result.person_of, read_negatives(tmp_path), review)
    assert scores.precision >= 0.999, scores
    assert all(merged == 0 for merged, _ in scores.negatives.values()), scores.negatives
    for cls, (joined, pairs) in scores.per_class.items():
        reached = joined + scores.queued.get(cls, 0)
        if cls in REVIEWED:
            assert reached >= 0.85 * pairs, (cls, joined, reached, pairs)
        else:
            assert joined >= 0.95 * pairs, (cls, joined, pairs)
