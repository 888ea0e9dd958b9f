"""SQL kept as .sql files inside the packages that own it (readable, diffable)."""

from functools import cache
from importlib import resources


@cache
def sql_file(package: str, path: str) -> str:
    """The text of `path` inside `package`, e.g. sql_file("pipelines.marts", "ektp_coverage.sql")."""
    return resources.files(package).joinpath(path).read_text(encoding="utf-8")


def query(name: str) -> str:
    """A named statement of the warehouse itself (queries/<name>.sql beside this module)."""
    return sql_file("pipelines.warehouse", f"queries/{name}.sql")
