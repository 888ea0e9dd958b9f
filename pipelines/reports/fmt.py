"""Numbers as Indonesians write them: 1.234.567 and 97,2%."""

from __future__ import annotations


def number(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def percent(value: float | None, digits: int = 1) -> str:
    """`value` is a share (0.972 -> "97,2%")."""
    return "–" if value is None else f"{value * 100:.{digits}f}%".replace(".", ",")


def signed_percent(value: float | None) -> str:
    return "–" if value is None else ("+" if value > 0 else "") + percent(value)


def share(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None
