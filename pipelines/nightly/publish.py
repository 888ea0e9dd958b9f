"""Publishing a night. Orchestration only: the
transaction and every statement in it are pipelines/warehouse/publish.py's."""

from __future__ import annotations

import datetime as dt

from pipelines import lease
from pipelines.warehouse.publish import publish_night as publish_staged


def publish_night(night: dt.date, run_id: str | None = None) -> dict:
    """Move the night's staged loads into the warehouse in one transaction."""
    published = publish_staged(night, lambda cur: lease.hold(cur, night, run_id))
    return {"districts_published": published}

