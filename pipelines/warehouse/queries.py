"""Named SQL statements kept as .sql files beside this module (readable, diffable)."""

from functools import cache
from importlib import resources


@cache
def query(name: str) -> str:
    return resources.files("pipelines.warehouse").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")
