"""When the nightly DAG runs, and the name each scheduled run carries.

Airflow names a scheduled run by the time it ran; operators look for the
export night it loaded. Registered as a plugin (pyproject's entry point
`airflow.plugins`) because the scheduler and the DAG processor may only
(de)serialise timetables they know.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin
from airflow.timetables.trigger import CronTriggerTimetable

from pipelines.settings import export_night


class NightlyTimetable(CronTriggerTimetable):
    """A cron trigger whose run ids read `scheduled__malam_2026-12-02__<run time>`."""

    def generate_run_id(self, *, run_type, run_after, data_interval, **extra) -> str:
        # The run time stays in the id: two runs for one night (a re-run) must differ.
        return run_type.generate_run_id(suffix=f"malam_{export_night(run_after).isoformat()}__{run_after.isoformat()}")


class DukcapilPlugin(AirflowPlugin):
    name = "dukcapil"
    timetables = [NightlyTimetable]
