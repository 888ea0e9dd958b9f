"""Throughput of validate_chunk on synthetic rows, beside plain GX.

    .venv/bin/python bench/bench_validate.py [--rows 1000000] [--chunk 250000]

Prints rows/s of validate_chunk over the rows (in chunks, as the pipeline
feeds them) and of a plain Great Expectations run of as many built-in
expectations over the same rows in the same process, and the ratio. Rows are
generated here, vectorised, about 2% of them broken and 3% with warnings.
"""

from __future__ import annotations

import argparse
import datetime
import time

import numpy as np
import pandas as pd

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.data_context.types.base import ProgressBarsConfig

from pipelines.contract import COLUMNS, CODE_LISTS, desa_codes, kecamatan_codes
from pipelines.validate import validate_chunk
from pipelines.validate.suite import expectations

NIGHT = datetime.date(2026, 11, 26)
DISTRICT = "3601"


def _text(values) -> pd.Series:
    return pd.Series(pd.array(np.asarray(values, dtype=object), dtype="string"))


def synthetic_rows(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    desa = np.array(sorted(d for k in kecamatan_codes(DISTRICT) for d in desa_codes(k)))
    place = _text(desa[rng.integers(0, len(desa), n)])
    birth = pd.Series(pd.Timestamp("1930-01-01")
                      + pd.to_timedelta(rng.integers(0, 34_000, n), unit="D"))
    age = (pd.Timestamp(NIGHT) - birth).dt.days.to_numpy() // 365
    female = rng.random(n) < 0.5
    iso = _text(birth.dt.strftime("%Y-%m-%d"))
    nik_day = _text(np.char.zfill((birth.dt.day.to_numpy() + 40 * female).astype(str), 2))
    ddmmyy = nik_day + iso.str.slice(5, 7) + iso.str.slice(2, 4)
    serial = _text(np.char.zfill(rng.integers(1, 10_000, n).astype(str), 4))
    dmy = iso.str.slice(8, 10) + "-" + iso.str.slice(5, 7) + "-" + iso.str.slice(0, 4)

    frame = pd.DataFrame({c: _text([None] * n) for c in COLUMNS})
    frame["NIK"] = place.str.slice(0, 6) + ddmmyy + serial
    frame["NO_KK"] = place.str.slice(0, 6) + "010115" + serial
    frame["NAMA_LGKP"] = _text(rng.choice(["SITI AMINAH", "BUDI", "H. AHMAD FAUZI", "NUR'AINI"], n))
    frame["JENIS_KLMIN"] = _text(np.where(female, "2", "1"))
    frame["TMPT_LHR"] = _text(rng.choice(["PANDEGLANG", "SERANG", "JAKARTA"], n))
    frame["TGL_LHR"] = iso.where(rng.random(n) < 0.5, dmy)
    for col in ("GOL_DRH", "AGAMA", "PDDK_AKH", "JENIS_PKRJN"):
        frame[col] = _text(rng.choice(list(CODE_LISTS[col]), n))
    married = age >= 20
    frame["STAT_KWN"] = _text(np.where(married, "2", "1"))
    frame["STAT_HBKEL"] = _text(rng.choice(["1", "3", "4"], n))
    frame["ALAMAT"] = _text(rng.choice(["KP. CIPACUNG", "JL. RAYA LABUAN KM 3"], n))
    frame["NO_RT"] = _text(np.char.zfill(rng.integers(1, 20, n).astype(str), 3))
    frame["NO_RW"] = _text(np.char.zfill(rng.integers(1, 10, n).astype(str), 3))
    frame["NO_PROP"] = place.str.slice(0, 2)
    frame["NO_KAB"] = place.str.slice(2, 4)
    frame["NO_KEC"] = place.str.slice(4, 6)
    frame["NO_KEL"] = place.str.slice(6, 10)
    frame["STAT_HIDUP"] = _text(["1"] * n)
    due = (age >= 17) | married
    status = np.where(due, rng.choice(["2", "3", "8"], n), "1")
    frame["EKTP_CURRENT_STATUS_CODE"] = _text(status)
    frame["EKTP_CREATED_DATE"] = _text(np.where(due & (status != "2"), "2015-03-04", None))
    frame["TGL_ENTRI"] = _text(["2012-01-02"] * n)
    frame["TGL_UBAH"] = _text(["2020-05-06"] * n)
    _damage(frame, rng)
    frame["source_row"] = np.arange(1, n + 1, dtype="int64")
    return frame


def _damage(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """About 2% of rows broken (quarantined) and 3% with a warning."""
    n = len(frame)

    def pick(share: float) -> np.ndarray:
        return rng.choice(n, int(n * share), replace=False)

    frame.loc[pick(0.005), "NIK"] = "3.60101E+15"
    frame.loc[pick(0.005), "TGL_LHR"] = "31-02-1990"
    frame.loc[pick(0.004), "NO_KAB"] = "02"
    frame.loc[pick(0.003), "NAMA_LGKP"] = "X" * 70
    frame.loc[pick(0.003), "NO_KEL"] = "9999"
    frame.loc[pick(0.03), "JENIS_KLMIN"] = "1"  # NIK says otherwise for about half


def plain_gx_seconds(frame: pd.DataFrame, count: int) -> float:
    """A plain GX run: ephemeral context, `count` built-in expectations, default
    result format, same rows."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch_definition = (context.data_sources.add_pandas("plain").add_dataframe_asset("rows")
                        .add_batch_definition_whole_dataframe("all"))
    cycle = [
        lambda c: gxe.ExpectColumnValuesToNotBeNull(column=c),
        lambda c: gxe.ExpectColumnValuesToMatchRegex(column=c, regex=r"^\d+$"),
        lambda c: gxe.ExpectColumnValueLengthsToBeBetween(column=c, min_value=1, max_value=16),
    ]
    columns = [c for c in COLUMNS if c not in ("NAMA_LGKP", "TMPT_LHR", "ALAMAT")]
    suite = context.suites.add(gx.ExpectationSuite("plain", expectations=[
        cycle[i % len(cycle)](columns[i % len(columns)]) for i in range(count)]))
    start = time.perf_counter()
    batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(suite)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=250_000)
    args = parser.parse_args()

    frame = synthetic_rows(args.rows)
    validate_chunk(frame.head(1000), DISTRICT, NIGHT)  # load the GX project once, as a worker does

    start = time.perf_counter()
    good = quarantined = 0
    for begin in range(0, args.rows, args.chunk):
        verdict = validate_chunk(frame.iloc[begin:begin + args.chunk], DISTRICT, NIGHT)
        good += len(verdict.good)
        quarantined += len(verdict.quarantined)
    ours = time.perf_counter() - start

    count = len(expectations())
    plain = plain_gx_seconds(frame, count)
    print(f"rows: {args.rows:,} in chunks of {args.chunk:,}; "
          f"good {good:,}, quarantined {quarantined:,}")
    print(f"validate_chunk: {ours:6.1f} s  {args.rows / ours:10,.0f} rows/s  "
          f"({count} expectations)")
    print(f"plain GX      : {plain:6.1f} s  {args.rows / plain:10,.0f} rows/s  ({count} built-in)")
    print(f"ratio validate_chunk / plain GX time: {ours / plain:.2f}")


if __name__ == "__main__":
    main()
