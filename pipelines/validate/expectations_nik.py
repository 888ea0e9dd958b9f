"""Custom expectations about what an NIK means: PP KK CC DD MM YY SSSS.

Each checks only well-formed NIKs (16 digits) and passes anything else, so a
damaged NIK is reported once, by the format rule, and not again by every
rule that reads a part of it. Importing this module registers the
expectations with Great Expectations; it must happen before the suite loads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    ColumnPairMapMetricProvider,
    column_condition_partial,
    column_pair_condition_partial,
)

from pipelines.contract import JENIS_KLMIN, all_kecamatan_codes
from pipelines.validate.expectations_base import PairExpectation, mask

FEMALE = "2"
FEMALE_DAY_OFFSET = 40


def well_formed(nik: pd.Series) -> np.ndarray:
    return nik.str.fullmatch(r"\d{16}").to_numpy(dtype=bool, na_value=False)


def _digits(nik: pd.Series, start: int, stop: int) -> np.ndarray:
    """Integer value of NIK[start:stop]; 0 for malformed NIKs (callers mask them)."""
    part = nik.str.slice(start, stop).where(well_formed(nik), "0")
    return part.astype("int64").to_numpy()


class ColumnValuesNikRegionKnown(ColumnMapMetricProvider):
    condition_metric_name = "column_values.nik_region_known"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        known = column.str.slice(0, 6).isin(all_kecamatan_codes()).to_numpy(dtype=bool)
        return mask(known | ~well_formed(column), column.index)


class ExpectColumnValuesToHaveKnownNikRegion(ColumnMapExpectation):
    """The first six digits of an NIK are a kecamatan of Indonesia, current or
    retired by re-districting (the NIK keeps the region where it was issued)."""

    map_metric = "column_values.nik_region_known"
    success_keys = ("mostly",)


class ColumnValuesNikSerialNonzero(ColumnMapMetricProvider):
    condition_metric_name = "column_values.nik_serial_nonzero"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return mask((_digits(column, 12, 16) != 0) | ~well_formed(column), column.index)


class ExpectColumnValuesToHaveNonzeroNikSerial(ColumnMapExpectation):
    """The last four digits of an NIK are a serial starting at 0001."""

    map_metric = "column_values.nik_serial_nonzero"
    success_keys = ("mostly",)


class ColumnPairNikBirthDateMatches(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.nik_birth_date_matches"

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):
        nik, iso = column_A, column_B
        day = _digits(nik, 6, 8)
        day = np.where(day > FEMALE_DAY_OFFSET, day - FEMALE_DAY_OFFSET, day)
        # The NIK holds only YY; the century comes from TGL_LHR, so comparing
        # the last two digits of the year is the whole check.
        nik_date = day * 10_000 + _digits(nik, 8, 10) * 100 + _digits(nik, 10, 12)
        iso_text = iso.fillna("0000-00-00")
        lhr_date = (
            iso_text.str.slice(8, 10).astype("int64").to_numpy() * 10_000
            + iso_text.str.slice(5, 7).astype("int64").to_numpy() * 100
            + iso_text.str.slice(2, 4).astype("int64").to_numpy()
        )
        return mask((nik_date == lhr_date) | ~well_formed(nik), nik.index)


class ExpectColumnPairNikBirthDateToMatch(PairExpectation):
    """The DDMMYY embedded in the NIK (column_A; women's day +40) is the birth
    date in column_B (ISO text)."""

    map_metric = "column_pair_values.nik_birth_date_matches"


class ColumnPairNikSexMatches(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.nik_sex_matches"

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):
        nik, sex = column_A, column_B
        female_by_nik = _digits(nik, 6, 8) > FEMALE_DAY_OFFSET
        female = (sex == FEMALE).to_numpy(dtype=bool, na_value=False)
        # An unknown sex code is the code-list rule's finding, not a mismatch.
        known_sex = sex.isin(list(JENIS_KLMIN)).to_numpy(dtype=bool, na_value=False)
        return mask((female_by_nik == female) | ~known_sex | ~well_formed(nik), nik.index)


class ExpectColumnPairNikSexToMatch(PairExpectation):
    """The NIK (column_A) marks women by adding 40 to the birth day; column_B is
    JENIS_KLMIN (2 = perempuan)."""

    map_metric = "column_pair_values.nik_sex_matches"
