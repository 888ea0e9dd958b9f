"""Run summaries to whoever operates the pipeline, through Airflow notifiers.

`DUKCAPIL_NOTIFIERS` names factories, `module:function[,module:function…]`,
each returning an Airflow notifier (e.g. the SMTP provider's SmtpNotifier, or
Slack's). Their templates can use `{{ dukcapil_summary }}`: counts and
reasons only, never personal data. Unset: the summary goes to the task log only.
"""

from __future__ import annotations

import importlib

from pipelines import settings


def configured_notifiers() -> list:
    notifiers = []
    for spec in settings.notifiers():
        module, _, function = spec.partition(":")
        notifiers.append(getattr(importlib.import_module(module), function)())
    return notifiers


def send(context, summary: str) -> None:
    """Hand `summary` to every configured notifier, with the Airflow context."""
    context = {**context, "dukcapil_summary": summary}
    for notifier in configured_notifiers():
        notifier(context)


def notify_failure(context) -> None:
    """DAG failure callback: systemic faults (after retries) reach the operators too."""
    dag_run = context.get("dag_run")
    send(context, f"GAGAL: {getattr(dag_run, 'dag_id', '?')} run {getattr(dag_run, 'run_id', '?')} gagal setelah "
                  "percobaan ulang; lihat log tugas di Airflow.")


def summary_text(night, rows: list[dict]) -> str:
    lines = [f"Malam {night}: ringkasan muat data kependudukan"]
    for row in rows:
        lines.append(f"{row['district_code']}: {row['status'] or 'belum ada'}, dibaca {row['rows_read'] or 0}, "
                     f"dimuat {row['rows_loaded'] or 0}, karantina {row['rows_quarantined'] or 0}"
                     + (f" ({row['reason']})" if row["reason"] else ""))
    return "\n".join(lines)
