"""Managers' HTML reports: self-contained files (no network needed to open them),
every value escaped, NIKs masked. Reads marts and audit tables only."""

from pipelines.reports.night import write_report

__all__ = ["write_report"]
