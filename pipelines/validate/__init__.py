"""Row validation of district exports with Great Expectations.

See docs/validation.md. The pipeline calls validate_chunk() for every chunk of
a file, file_gate() once per file, and
build_data_docs() once per night.
"""

from pipelines.validate.chunk import Verdict, validate_chunk
from pipelines.validate.datadocs import build_data_docs
from pipelines.validate.file_rules import file_gate
from pipelines.validate.rules import RULES, Rule

__all__ = [
    "RULES",
    "Rule",
    "Verdict",
    "build_data_docs",
    "file_gate",
    "validate_chunk",
]
