"""Nightly load of the 8 Banten district SIAK exports into the provincial warehouse.

Wiring only: every step is a function in `pipelines.nightly`. The export night
is the `night` param, or else the day before the run (02:00 Asia/Jakarta);
`logical_date` is never used (it is None for manual runs).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Param, dag, task

from pipelines.assets import IDENTITY
from pipelines.contract import DISTRICTS
from pipelines.lease import release_failed_run
from pipelines.notify import notify_failure
from pipelines.schedule import NightlyTimetable
from pipelines.settings import JAKARTA, export_night, landing_for, reports_dir, retry_delay


@dag(
    dag_id="dukcapil_nightly",
    schedule=NightlyTimetable("0 2 * * *", timezone=JAKARTA.key),
    start_date=dt.datetime(2026, 1, 1, tzinfo=JAKARTA),
    catchup=False,
    max_active_runs=1,
    tags=["dukcapil", "warehouse"],
    # Retries are for systemic faults (database down); a bad file never raises.
    default_args={"owner": "dukcapil", "retries": 2, "retry_delay": retry_delay()},
    on_failure_callback=[release_failed_run, notify_failure],
    params={
        "night": Param(None, type=["null", "string"], format="date",
                       description="Export night YYYY-MM-DD; empty = the day before the run"),
        "landing": Param(None, type=["null", "string"], description="Landing folder inside DUKCAPIL_LANDING; empty = DUKCAPIL_LANDING"),
    },
)
def dukcapil_nightly():
    @task(retries=0)
    def plan(params=None, dag_run=None) -> dict:
        from pipelines import lease
        from pipelines.warehouse import migrate

        # Up to date after `dukcapil migrate` (the owner); a laptop login owns the tables and applies them here.
        migrate()
        night = params.get("night") or export_night(dag_run.run_after).isoformat()
        landing = str(landing_for(params.get("landing")))  # refused before the night is taken
        lease.acquire(dt.date.fromisoformat(night), dag_run.run_id)  # waits, then refuses
        return {"night": night, "landing": landing, "run_id": dag_run.run_id}

    # The grid names each mapped stage by its district; a district whose file was
    # rejected or never came ends "skipped" (its reason in the task log and in
    # audit.file_load) while the others go on to publish.
    @task(max_active_tis_per_dagrun=2, map_index_template="{{ district_label }}")
    def stage(district: str, night_plan: dict) -> dict:
        from pathlib import Path

        from airflow.sdk import get_current_context
        from airflow.sdk.exceptions import AirflowSkipException

        from pipelines import lease
        from pipelines.nightly import stage_district

        get_current_context()["district_label"] = f"{district} {DISTRICTS[district].name}"
        night = dt.date.fromisoformat(night_plan["night"])
        with lease.kept(night, night_plan["run_id"]):
            outcome = stage_district(Path(night_plan["landing"]), night, district, night_plan["run_id"])
        if outcome["status"] == "rejected":
            raise AirflowSkipException(f"{district} {DISTRICTS[district].name}: {outcome['reason']}")
        return outcome

    @task(trigger_rule="none_failed")
    def identity(night_plan: dict, outcomes: list[dict]) -> dict:
        from pipelines import lease
        from pipelines.nightly import resolve_identity

        night = dt.date.fromisoformat(night_plan["night"])
        with lease.kept(night, night_plan["run_id"]):
            return resolve_identity(night, night_plan["run_id"])

    @task(outlets=[IDENTITY])
    def publish(night_plan: dict, resolved: dict) -> dict:
        from pipelines import lease
        from pipelines.nightly import publish_night

        night = dt.date.fromisoformat(night_plan["night"])
        with lease.kept(night, night_plan["run_id"]):
            return publish_night(night, night_plan["run_id"])

    @task
    def marts(night_plan: dict, published: dict) -> None:
        from pipelines import lease
        from pipelines.nightly import refresh_marts

        night = dt.date.fromisoformat(night_plan["night"])
        with lease.kept(night, night_plan["run_id"]):
            refresh_marts(night, night_plan["run_id"])

    @task(trigger_rule="none_failed")
    def report(night_plan: dict, outcomes: list[dict]) -> str:
        from airflow.sdk import get_current_context

        from pipelines import lease
        from pipelines.nightly import finish_night
        from pipelines.notify import send

        night = dt.date.fromisoformat(night_plan["night"])
        # One read of the mapped results (a skipped district has none): iterating
        # asks for one more than there are, and the task API logs that miss as an error.
        with lease.kept(night, night_plan["run_id"]):
            path, summary = finish_night(night, list(outcomes[:]), reports_dir())
        lease.release(night, night_plan["run_id"])
        send(get_current_context(), summary)
        return path

    night_plan = plan()
    outcomes = stage.partial(night_plan=night_plan).expand(district=list(DISTRICTS))
    done = marts(night_plan, publish(night_plan, identity(night_plan, outcomes)))
    done >> report(night_plan, outcomes)


dag = dukcapil_nightly()
