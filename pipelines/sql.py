"""The one way SQL is loaded: statements as .sql files in a `sql/` folder beside
the package that owns them (one statement a file, readable and diffable), and
the warehouse's numbered migrations in its `migrations/` folder."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql(package: str, name: str) -> str:
    """The statement `<package>/sql/<name>.sql`, e.g. sql("pipelines.marts", "ektp_coverage")."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def migration_files(package: str) -> dict[str, str]:
    """File name -> text of every file in `<package>/migrations/` (read afresh:
    a migration's text is checksummed, never cached)."""
    folder = resources.files(package).joinpath("migrations")
    return {entry.name: entry.read_text(encoding="utf-8") for entry in folder.iterdir() if entry.name.endswith(".sql")}
