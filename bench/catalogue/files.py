"""The catalogue on disk: district exports in the contract's format and its truth."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pandas as pd

from catalogue.build import Catalogue, build_catalogue
from catalogue.population import generate_population
from identity_eval import read_sample_night
from pipelines.contract import COLUMNS, DATE_COLUMNS

# Districts whose SIAK writes dates day first (the contract allows both spellings).
DAY_FIRST = {"3602", "3673"}


def write_catalogue(out: Path, nights: list[dt.date], persons: int = 50_000, seed: int = 1,
                    base: pd.DataFrame | None = None) -> Catalogue:
    """Build a catalogue (on `base`, or on a generated population of about `persons`) and write
    `out/<night>/<KODE_KAB>.csv` for each night, `out/truth/records_<night>.csv`
    (district_code, source_row, true_person_id, anomaly, variation, hard_negative) and
    `out/truth/negatives.csv` (person_a, person_b, kind)."""
    out = Path(out)
    if base is None:
        base = generate_population(persons, seed, nights[0])
    catalogue = build_catalogue(base, nights, seed)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for night, frame in catalogue.nights.items():
        _write_night(out, night, frame, random.Random(f"{seed}:{night}"))
    catalogue.negatives.to_csv(out / "truth" / "negatives.csv", index=False)
    return catalogue


def _write_night(out: Path, night: dt.date, frame: pd.DataFrame, rng: random.Random) -> None:
    folder = out / night.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    truth = []
    frame = frame.assign(district_code="36" + frame["NO_KAB"])
    for district, rows in sorted(frame.groupby("district_code")):
        order = list(range(len(rows)))
        rng.shuffle(order)  # a second registration is not next to the first
        rows = rows.iloc[order].reset_index(drop=True)
        if district in DAY_FIRST:
            for column in DATE_COLUMNS:
                rows[column] = pd.to_datetime(rows[column], format="%Y-%m-%d", errors="coerce").dt.strftime("%d-%m-%Y").fillna("")
        with open(folder / f"{district}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows[list(COLUMNS)].itertuples(index=False))
        truth.append(rows.assign(source_row=range(1, len(rows) + 1))[
            ["district_code", "source_row", "true_person_id", "anomaly", "variation", "hard_negative"]])
    pd.concat(truth).to_csv(out / "truth" / f"records_{night.isoformat()}.csv", index=False)


def read_catalogue_night(out: Path, night: dt.date) -> pd.DataFrame:
    """One night of the catalogue as the identity engine takes it (read_sample_night's frame)
    with the catalogue's own truth columns `variation` and `hard_negative`."""
    records = read_sample_night(Path(out), night)
    truth = pd.read_csv(Path(out) / "truth" / f"records_{night.isoformat()}.csv", dtype=str, keep_default_na=False)
    truth["unique_id"] = truth["district_code"] + ":" + truth["source_row"]
    return records.merge(truth[["unique_id", "variation", "hard_negative"]], on="unique_id")


def read_negatives(out: Path) -> pd.DataFrame:
    return pd.read_csv(Path(out) / "truth" / "negatives.csv", dtype=str, keep_default_na=False)
