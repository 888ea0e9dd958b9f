"""An accuracy floor on a small generated sample, through the night's matching code."""

from __future__ import annotations

import datetime as dt

from identity_eval import read_sample_night, resolve_frame, score

from pipelines.sample import generate

NIGHT = dt.date(2026, 11, 26)


def test_accuracy_floor_on_sample(tmp_path):
    generate(tmp_path, [NIGHT], persons=20_000, seed=5)
    records = read_sample_night(tmp_path, NIGHT)
    result = score(records, resolve_frame(records).person_of)
    assert result.precision >= 0.995 and result.recall >= 0.95, result
    assert result.twins_merged == 0, result
    assert result.collisions_apart == result.collisions, result
