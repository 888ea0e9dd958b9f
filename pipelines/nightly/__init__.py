"""The steps of one night, as plain functions the DAG wires together:

    stage_district (per district) -> resolve_identity -> publish_night -> refresh_marts -> finish_night

one room each: stage.py, publish.py, finish.py. Orchestration only (the order of
the work, counts passed between steps); the statements are the warehouse's,
identity's and the marts'. Steps pass counts, never rows: what a step returns is
safe for XComs and logs (no NIK, no name). Every step takes the night explicitly.
"""

from pipelines.nightly.finish import build_marts, build_night_data_docs, finish_night, night_summary, refresh_marts
from pipelines.nightly.publish import publish_night
from pipelines.nightly.stage import DistrictOutcome, preload_staging, resolve_identity, stage_district

__all__ = ["DistrictOutcome", "build_marts", "build_night_data_docs", "finish_night", "night_summary",
           "preload_staging", "publish_night", "refresh_marts", "resolve_identity", "stage_district"]
