"""The nightly DAG's scheduled runs are named by the export night they load."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest


@pytest.fixture(scope="module")
def timetable():
    """The timetable as the scheduler holds it: only the serialised DAG, so a
    timetable it does not know fails here. (Airflow is imported here, not at
    collection: the session's AIRFLOW_HOME must be set first.)"""
    from airflow.serialization.serialized_objects import DagSerialization

    from pipelines.airflow_runner import load_dag

    return DagSerialization.from_dict(DagSerialization.to_dict(load_dag("dukcapil_nightly"))).timetable


def test_scheduled_run_id_names_the_export_night(timetable):
    from airflow.utils.types import DagRunType

    from pipelines.schedule import NightlyTimetable

    assert isinstance(timetable, NightlyTimetable)
    # 02:00 in Jakarta on 3 December is 19:00 UTC on 2 December; it loads the export of 2 December.
    run_after = pendulum.datetime(2026, 12, 2, 19, tz="UTC")
    run_id = timetable.generate_run_id(run_type=DagRunType.SCHEDULED, run_after=run_after, data_interval=None)
    assert run_id == "scheduled__malam_2026-12-02__2026-12-02T19:00:00+00:00"


def test_runs_at_two_in_the_morning_in_jakarta(timetable):
    after = timetable._align_to_next(pendulum.datetime(2026, 12, 2, 12, tz="UTC"))
    assert after.in_timezone("Asia/Jakarta").time() == dt.time(2, 0)
