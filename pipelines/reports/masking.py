"""What managers and field officers may see of personal data (UU PDP 27/2022),
and how text is made safe for spreadsheets."""

from __future__ import annotations

import re

_NIK = re.compile(r"(?<!\d)(\d{4})(\d{8})(\d{4})(?!\d)")
# A spreadsheet cell starting with one of these is read as a formula (CSV
# injection: =HYPERLINK(...) exfiltrating neighbouring cells); tab and carriage
# return start formulas in some importers too.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def mask_text(text: str | None) -> str:
    """Free text shown in reports (reasons, file names) with every NIK-like run
    of 16 digits masked, region and serial kept: 3601********0001."""
    return _NIK.sub(lambda m: f"{m[1]}{'*' * 8}{m[3]}", text) if text else ""


def neutralise_formula(value):
    """A spreadsheet cell value that is never evaluated: text that would start a
    formula gets a leading apostrophe; numbers and empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
