"""Row validation of district exports with Great Expectations.

See docs/validation.md. The pipeline calls validate_chunk() for every chunk of
a file, file_gate() once per file, and build_data_docs() once per night.
The GX-backed names load on first use: readers of RULES (reports) need not
pay for importing Great Expectations.
"""

import logging
from importlib import import_module

from pipelines.validate.file_rules import file_gate
from pipelines.validate.rules import RULES, Rule

# GX logs at INFO for its own bookkeeping (214 "Skipping registering function"
# lines on importing it); its warnings and errors still come through.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

_LAZY = {"Verdict": "chunk", "validate_chunk": "chunk", "build_data_docs": "datadocs"}

__all__ = ["RULES", "Rule", "Verdict", "build_data_docs", "file_gate", "validate_chunk"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"pipelines.validate.{_LAZY[name]}"), name)
    raise AttributeError(name)
