"""Bapenda PKB arrears matching (issue 6): runs when a new register has landed
AND the nightly DAG has published an identity since the last run, so a
register is never matched against half a night.

Wiring only: the logic is pipelines.bapenda. The register lands as
$DUKCAPIL_BAPENDA_INBOX/arrears.csv; whoever drops it there (the SFTP hook)
announces it with an asset event (REST: POST /api/v2/assets/events). Results
go to $DUKCAPIL_BAPENDA_OUTBOX/<run>/ and to schema bapenda.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, dag, task

from pipelines.assets import IDENTITY
from pipelines.bapenda.paths import INCOMING_NAME, inbox_dir, outbox_dir
from pipelines.settings import JAKARTA, retry_delay

REGISTER = Asset(uri=f"file://{inbox_dir() / INCOMING_NAME}", name="bapenda_arrears_register")


@dag(
    dag_id="bapenda_matching",
    schedule=REGISTER & IDENTITY,
    start_date=dt.datetime(2026, 1, 1, tzinfo=JAKARTA),
    catchup=False,
    max_active_runs=1,
    tags=["dukcapil", "bapenda"],
    default_args={"owner": "dukcapil", "retries": 2, "retry_delay": retry_delay()},
)
def bapenda_matching():
    @task
    def match(dag_run=None) -> dict:
        from pipelines.bapenda import match_file

        register = inbox_dir() / INCOMING_NAME
        out = outbox_dir() / dag_run.run_id.replace(":", "-").replace("+", "-")
        run = match_file(register, out / "hasil_pencocokan.csv")
        # Counts only: XComs and logs never carry a row.
        return {"run_id": run.run_id, "rows": run.rows, **run.counts, "output": str(run.output)}

    match()


dag = bapenda_matching()
