"""Bapenda vehicle-tax (PKB) arrears matching against the single identity
(issue 6; contract docs/contract/bapenda-arrears.md, design docs/bapenda.md)."""

from pipelines.bapenda.match import match_file
from pipelines.bapenda.register import RegisterError

__all__ = ["RegisterError", "match_file"]
