"""Celery settings of the Airflow workers (`[celery] celery_config_options =
pipelines.celery_config.CELERY_CONFIG`): Airflow's own, and staging's heavy
imports made once, when the worker starts.

On Linux, Airflow runs each task in a process forked from its worker (the task
supervisor forks and does not exec), so every task inherits what the worker
loaded. Without this, each district's staging task would import Great
Expectations on its own: 7 s a district, most of an ordinary night's staging.
"""

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

# A copy: Airflow applies these options over its defaults only when they are
# not the defaults object itself.
CELERY_CONFIG = dict(DEFAULT_CELERY_CONFIG)


@worker_init.connect
def preload_on_start(**_) -> None:
    # worker_init fires in the worker's main process, before the prefork pool
    # (and so every task process) is forked from it.
    from pipelines.nightly import preload_staging

    preload_staging()
