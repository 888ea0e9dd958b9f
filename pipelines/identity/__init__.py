"""Single identity: deciding which records are the same human (person_id).

The deterministic tier: records with the same NIK whose normalised name and
birth date agree are one person; anything else stays its own person.
"""

from pipelines.identity.resolve import resolve_night

__all__ = ["resolve_night"]
