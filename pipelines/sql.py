"""The one way SQL is loaded: statements as .sql files in a `sql/` folder beside
the package that owns them (one statement a file, readable and diffable; a
step of several statements is a folder of them, run in the order of their
names), and the warehouse's numbered migrations in its `migrations/` folder."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql(package: str, name: str) -> str:
    """The statement `<package>/sql/<name>.sql`, e.g. sql("pipelines.marts", "ektp_coverage")."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


@cache
def statements(package: str, name: str) -> tuple[str, ...]:
    """The statements of the folder `<package>/sql/<name>/`, one a file, in file-name order."""
    folder = resources.files(package).joinpath("sql", name)
    files = sorted((entry for entry in folder.iterdir() if entry.name.endswith(".sql")), key=lambda entry: entry.name)
    return tuple(entry.read_text(encoding="utf-8") for entry in files)


def run_statements(cur, package: str, name: str, params: dict) -> None:
    """Execute the statements of `<package>/sql/<name>/` in order on `cur`
    (inside the caller's transaction), each given all of `params`."""
    for statement in statements(package, name):
        cur.execute(statement, params)


def migration_files(package: str) -> dict[str, str]:
    """File name -> text of every file in `<package>/migrations/` (read afresh:
    a migration's text is checksummed, never cached)."""
    folder = resources.files(package).joinpath("migrations")
    return {entry.name: entry.read_text(encoding="utf-8") for entry in folder.iterdir() if entry.name.endswith(".sql")}
