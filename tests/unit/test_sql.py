"""pipelines.sql: one statement a file, and a folder's statements run in the
order of their file names."""

from __future__ import annotations

import re
from pathlib import Path

import pipelines
from pipelines.sql import run_statements, statements

SQL_FILES = sorted(Path(pipelines.__file__).parent.glob("**/sql/**/*.sql"))


def _statement_count(text: str) -> int:
    """Semicolons ending statements: those in comments and quoted strings do not."""
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    code = re.sub(r"'[^']*'", "''", code).strip()
    return code.rstrip(";").count(";") + 1


def test_every_sql_file_holds_one_statement():
    assert SQL_FILES
    several = [str(path) for path in SQL_FILES if _statement_count(path.read_text(encoding="utf-8")) != 1]
    assert not several


def test_the_count_sees_a_second_statement_not_a_semicolon_in_a_comment():
    assert _statement_count("-- one; still one\nSELECT 1;  -- done; really\n") == 1
    assert _statement_count("SELECT ';';\n") == 1
    assert _statement_count("SELECT 1;\nSELECT 2;\n") == 2


class _Cursor:
    def __init__(self):
        self.executed = []

    def execute(self, statement, params=None):
        self.executed.append((statement, params))


def test_a_folder_runs_in_file_name_order_with_every_parameter(tmp_path, monkeypatch):
    package = tmp_path / "i24_steps"
    (package / "sql" / "step").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for name, text in {"02_b.sql": "SELECT 2;\n", "10_c.sql": "SELECT %(night)s;\n", "01_a.sql": "SELECT 1;\n",
                       "notes.txt": "not a statement"}.items():
        (package / "sql" / "step" / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert statements("i24_steps", "step") == ("SELECT 1;\n", "SELECT 2;\n", "SELECT %(night)s;\n")
    cur = _Cursor()
    run_statements(cur, "i24_steps", "step", {"night": "2026-01-01"})
    assert cur.executed == [(text, {"night": "2026-01-01"}) for text in statements("i24_steps", "step")]
