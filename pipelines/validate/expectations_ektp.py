"""Custom expectations that the e-KTP status agrees with the rest of the row.

"Wajib KTP" = aged 17 or more, or younger and ever married. Importing this
module registers the expectations with Great Expectations; it must happen
before the suite loads.
"""

from __future__ import annotations

from typing import Literal, Union

from great_expectations.core.suite_parameters import SuiteParameterDict
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    MulticolumnMapMetricProvider,
    column_pair_condition_partial,
    multicolumn_condition_partial,
)

from pipelines.contract import EKTP_RECORDED_MIN, EKTP_STATUS, STAT_KWN
from pipelines.validate.expectations_base import PairExpectation, PairIgnoreRowIf, mask

RECORDED = [code for code in EKTP_STATUS if int(code) >= EKTP_RECORDED_MIN]
NOT_YET_DUE = "1"  # belum wajib
EVER_MARRIED = [code for code in STAT_KWN if code != "1"]  # anything but belum kawin


class ColumnPairEktpRecordedHasDate(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.ektp_recorded_has_date"

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):
        recorded = mask(column_A.isin(RECORDED), column_A.index)
        return ~recorded | mask(column_B.notna(), column_B.index)


class ExpectColumnPairEktpRecordedToHaveDate(PairExpectation):
    """A recorded e-KTP status (column_A >= 3) comes with its recording date
    (column_B). Every row is checked: a missing date is the finding."""

    ignore_row_if: PairIgnoreRowIf = "neither"
    map_metric = "column_pair_values.ektp_recorded_has_date"


class MulticolumnEktpNotYetDueConsistent(MulticolumnMapMetricProvider):
    condition_metric_name = "multicolumn_values.ektp_not_yet_due_consistent"
    condition_value_keys = ("born_on_or_before",)

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list, born_on_or_before, **kwargs):
        status, birth_iso, marital = (column_list[c] for c in column_list.columns)
        index = column_list.index
        not_yet_due = mask(status == NOT_YET_DUE, index)
        adult = mask(birth_iso <= born_on_or_before, index)
        married = mask(marital.isin(EVER_MARRIED), index)
        return ~(not_yet_due & (adult | married))


class ExpectMulticolumnEktpNotYetDueToBeUnderage(MulticolumnMapExpectation):
    """column_list = [EKTP_CURRENT_STATUS_CODE, birth date as ISO, STAT_KWN]:
    status 1 "belum wajib" only for someone born after ``born_on_or_before``
    (the night minus 17 years) who was never married."""

    born_on_or_before: Union[str, SuiteParameterDict]
    ignore_row_if: Literal["all_values_are_missing", "any_value_is_missing", "never"] = (
        "all_values_are_missing"
    )
    map_metric = "multicolumn_values.ektp_not_yet_due_consistent"
    success_keys = ("born_on_or_before", "ignore_row_if", "mostly")
