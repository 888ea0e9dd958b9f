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


def publish_identity(cur, night: dt.date) -> None:
    """Make the night's identity decisions real (inside the publish transaction)."""
    cur.execute("""INSERT INTO warehouse.identity_key (match_key, person_id, first_night)
                   SELECT match_key, person_id, export_date FROM staging.identity_key
                   WHERE export_date = %s ON CONFLICT DO NOTHING""", (night,))


def discard_staged_identity(cur, night: dt.date) -> None:
    cur.execute("DELETE FROM staging.identity_key WHERE export_date = %s", (night,))
