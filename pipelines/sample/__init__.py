"""Realistic, deterministic sample of the province's nightly SIAK exports,
with the truth of who is who. See docs/sample.md."""

from pipelines.sample.generator import SampleSummary, generate

__all__ = ["SampleSummary", "generate"]
