"""Where person_id is decided for a night's staged records."""

from __future__ import annotations

import datetime as dt

from pipelines.warehouse.queries import query


def resolve_night(cur, night: dt.date) -> int:
    """Give every staged record of `night` a person_id (new ids are minted in staging
    and only become real when the night is published). Returns records resolved."""
    cur.execute(query("resolve_identity"), {"night": night})
    cur.execute(
        """SELECT count(*) FROM staging.record_identity i JOIN staging.load l USING (load_id)
           WHERE l.export_date = %s""", (night,))
    return cur.fetchone()[0]
