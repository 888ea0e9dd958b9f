"""Single identity: one stable person_id per human, across districts and nights.

Tiers: deterministic (same NIK, agreeing core attributes), NIK collisions kept
apart, a Splink model for double registrations, clustering at explicit
thresholds under reviewer decisions, ids carried forward. See docs/identity.md.
"""

from pipelines.identity.resolve import STAGED_TABLES, publish_identity, resolve_night

__all__ = ["STAGED_TABLES", "publish_identity", "resolve_night"]
