"""Custom expectations on dates, working on the ``<DATE>_ISO`` columns that
prepare.derive() adds (ISO text compares like the dates it spells).

Importing this module registers the expectations with Great Expectations; it
must happen before the suite loads.
"""

from __future__ import annotations

from typing import Optional, Union

from great_expectations.core.suite_parameters import SuiteParameterDict
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    ColumnPairMapMetricProvider,
    column_condition_partial,
    column_pair_condition_partial,
)

from pipelines.validate.expectations_base import PairExpectation, PairIgnoreRowIf, mask


class ColumnPairDateReadable(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.date_readable"

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):
        return mask(column_B.notna(), column_B.index)


class ExpectColumnPairValuesToBeReadableDates(PairExpectation):
    """column_A is the raw date text, column_B the ISO date read from it with
    the contract's formats; a raw value that reads as no date is unreadable.
    Rows where column_A is empty are not checked (required-ness is its own rule)."""

    ignore_row_if: PairIgnoreRowIf = "both_values_are_missing"
    map_metric = "column_pair_values.date_readable"


class ColumnValuesIsoDateBetween(ColumnMapMetricProvider):
    condition_metric_name = "column_values.iso_date_between"
    condition_value_keys = ("min_value", "max_value")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, min_value=None, max_value=None, **kwargs):
        ok = mask(column.notna(), column.index)
        if min_value is not None:
            ok &= mask(column >= min_value, column.index)
        if max_value is not None:
            ok &= mask(column <= max_value, column.index)
        return ok


class ExpectColumnValuesToBeIsoDatesBetween(ColumnMapExpectation):
    """ISO date text within [min_value, max_value] (either may be omitted);
    the bounds are ISO dates too, usually suite parameters of the export night."""

    min_value: Optional[Union[str, SuiteParameterDict]] = None
    max_value: Optional[Union[str, SuiteParameterDict]] = None
    map_metric = "column_values.iso_date_between"
    success_keys = ("min_value", "max_value", "mostly")
