"""Single identity: deciding which records are the same human (person_id).

The deterministic tier: records with the same NIK whose normalised name and
birth date agree are one person; anything else stays its own person.
"""

from pipelines.identity.resolve import discard_staged_identity, publish_identity, resolve_night

__all__ = ["discard_staged_identity", "publish_identity", "resolve_night"]
