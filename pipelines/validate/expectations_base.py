"""What the custom expectations share: a boolean mask helper and the base of
the column-pair expectations (GX's own base declares no ``ignore_row_if``)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
import pandas as pd

from great_expectations.expectations.expectation import ColumnPairMapExpectation

PairIgnoreRowIf = Literal["both_values_are_missing", "either_value_is_missing", "neither"]


def mask(values: pd.Series | np.ndarray, index: pd.Index) -> pd.Series:
    """A plain boolean Series (NA counts as False) that GX can negate and index with."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=bool, na_value=False)
    return pd.Series(values, index=index, dtype=bool)


class PairExpectation(ColumnPairMapExpectation):
    """Column-pair expectation that by default skips rows missing either value
    (the required-column and format rules report those)."""

    ignore_row_if: PairIgnoreRowIf = "either_value_is_missing"
    success_keys: ClassVar[tuple[str, ...]] = ("column_A", "column_B", "ignore_row_if", "mostly")
