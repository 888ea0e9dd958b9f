"""Value-free validation results and the Data Docs built from them.

GX results and Data Docs show sample failing values by default: for this data
that means NIKs and names (UU PDP 27/2022). Results are therefore *rebuilt*
from an allowlist of counts, not cleaned of known value fields: whatever a
future GX version adds to a result stays out unless it is named here. Row
numbers go too; the quarantine table is where rows are traced.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import great_expectations as gx
from great_expectations.core import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResultSchema
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
)
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from pipelines.contract import DISTRICTS
# Importing the suite module registers the custom expectations it names.
from pipelines.validate.suite import SUITE_PATH

COUNT_KEYS = ("element_count", "unexpected_count", "missing_count")
SITE = "dukcapil"


def _outcome(success: bool, config, counts: dict[str, int]) -> ExpectationValidationResult:
    counts = {k: int(v) for k, v in counts.items() if k in COUNT_KEYS}
    element = counts.get("element_count", 0)
    unexpected = counts.get("unexpected_count", 0)
    result = dict(counts)
    if element:
        result["unexpected_percent_total"] = 100.0 * unexpected / element
        result["unexpected_percent"] = result["unexpected_percent_total"]
    if "missing_count" in counts and element:
        result["missing_percent"] = 100.0 * counts["missing_count"] / element
        nonmissing = element - counts["missing_count"]
        result["unexpected_percent_nonmissing"] = (
            100.0 * unexpected / nonmissing if nonmissing else 0.0)
        result["unexpected_percent"] = result["unexpected_percent_nonmissing"]
    return ExpectationValidationResult(
        success=success, expectation_config=config, result=result,
        exception_info={"raised_exception": False, "exception_traceback": None,
                        "exception_message": None},
    )


def _suite_result(suite_name: str, outcomes: list[ExpectationValidationResult],
                  district_code: str, night: str) -> ExpectationSuiteValidationResult:
    passed = sum(o.success for o in outcomes)
    district = DISTRICTS[district_code]
    return ExpectationSuiteValidationResult(
        success=passed == len(outcomes),
        results=outcomes,
        suite_name=suite_name,
        statistics={
            "evaluated_expectations": len(outcomes),
            "successful_expectations": passed,
            "unsuccessful_expectations": len(outcomes) - passed,
            "success_percent": 100.0 * passed / len(outcomes) if outcomes else None,
        },
        meta={
            "great_expectations_version": gx.__version__,
            "district_code": district_code,
            "night": night,
            "active_batch_definition": {
                "datasource_name": "district_frames",
                "data_connector_name": "fluent",
                "data_asset_name": f"{district_code} {district.name}",
                "batch_identifiers": {"district_code": district_code, "night": night},
            },
        },
    )


def redact(result: ExpectationSuiteValidationResult, district_code: str,
           night: datetime.date) -> ExpectationSuiteValidationResult:
    """The result reduced to counts per expectation: no values, no row numbers."""
    outcomes = [_outcome(o.success, o.expectation_config, o.result) for o in result.results]
    return _suite_result(result.suite_name, outcomes, district_code, night.isoformat())


def combine(
    summaries: Iterable[ExpectationSuiteValidationResult],
) -> list[ExpectationSuiteValidationResult]:
    """One result per (district, night): the chunks of a file added up."""
    groups: dict[tuple[str, str, str], list[ExpectationSuiteValidationResult]] = defaultdict(list)
    for s in summaries:
        groups[(s.suite_name, s.meta["district_code"], s.meta["night"])].append(s)
    combined = []
    for (suite_name, district_code, night), chunks in sorted(groups.items()):
        outcomes = []
        for per_chunk in zip(*(c.results for c in chunks), strict=True):
            counts = {k: sum(o.result.get(k, 0) for o in per_chunk)
                      for k in COUNT_KEYS if k in per_chunk[0].result}
            outcomes.append(_outcome(all(o.success for o in per_chunk),
                                     per_chunk[0].expectation_config, counts))
        combined.append(_suite_result(suite_name, outcomes, district_code, night))
    return combined


def to_record(summaries: Iterable[ExpectationSuiteValidationResult]) -> dict:
    """One file's chunk summaries as a single JSON-able record (counts only), for
    keeping in the warehouse until the night's Data Docs are built."""
    (combined,) = combine(summaries)
    return combined.to_json_dict()


def from_record(record: dict) -> ExpectationSuiteValidationResult:
    return ExpectationSuiteValidationResultSchema().load(record)


def build_data_docs(summaries: Iterable[ExpectationSuiteValidationResult],
                    out_dir: str | Path) -> Path:
    """Render Data Docs for value-free summaries (Verdict.summary of every chunk,
    any number of districts and nights) into ``out_dir``; returns its index.html.

    A throwaway in-memory context is used so that nothing is written into the
    committed GX project and the site goes exactly where the caller says."""
    out_dir = Path(out_dir).resolve()
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        data_docs_sites={SITE: {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(out_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }},
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    suite = context.suites.add(gx.ExpectationSuite(**json.loads(SUITE_PATH.read_text())))
    for result in combine(summaries):
        # Only loaded files keep a result (a rejected file's is rolled back with it):
        # a rule that quarantined or warned rows did not fail the file, so its page
        # says what the report says. Each expectation keeps its own outcome and counts.
        result.success = True
        run_time = datetime.datetime.fromisoformat(result.meta["night"]).replace(
            tzinfo=datetime.timezone.utc)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
            run_id=RunIdentifier(run_name=f"{result.meta['night']}-{result.meta['district_code']}",
                                 run_time=run_time),
            batch_identifier=result.meta["district_code"],
        )
        context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=[SITE])
    return out_dir / "index.html"

