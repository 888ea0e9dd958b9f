"""Publishing a night. Orchestration only: the transaction and every statement
in it are pipelines/warehouse/publish.py's; identity's part is handed in here."""

from __future__ import annotations

import datetime as dt

from pipelines import lease
from pipelines.warehouse.publish import publish_night as publish_staged


def publish_night(night: dt.date, run_id: str | None = None) -> dict:
    """Move the night's staged loads into the warehouse in one transaction."""
    from pipelines.identity import STAGED_TABLES, publish_identity

    published = publish_staged(night, lambda cur: lease.hold(cur, night, run_id), publish_identity, STAGED_TABLES)
    return {"districts_published": published}

