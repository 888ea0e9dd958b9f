"""A small sample loaded through the night's step functions (stage, identity,
publish), and one matching run over its arrears register, shared by the tests."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from pipelines import nightly
from pipelines.bapenda import match_file
from pipelines.contract import DISTRICTS
from pipelines.sample import generate

NIGHT = dt.date(2041, 6, 1)  # a night no other test module loads
PERSONS = 4_000
MINORS = 5  # rows appended to the register naming children exactly (NIK, name, birth date)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    landing = tmp_path_factory.mktemp("bapenda_sample")
    generate(landing, [NIGHT], persons=PERSONS, seed=11)
    for district in DISTRICTS:
        nightly.stage_district(landing, NIGHT, district)
    nightly.resolve_identity(NIGHT)
    nightly.publish_night(NIGHT)
    return landing


def minors(sample) -> pd.DataFrame:
    persons = pd.read_csv(sample / "truth" / "persons.csv", dtype=str)
    young = persons[(persons["birth_date"] > NIGHT.replace(year=NIGHT.year - 17).isoformat())
                    & (persons["birth_date"] < NIGHT.replace(year=NIGHT.year - 10).isoformat())]
    return young.head(MINORS)


@pytest.fixture(scope="session")
def register(sample, tmp_path_factory):
    """The sample's register with MINORS rows appended: a child is never returned,
    however exactly the row names them."""
    path = tmp_path_factory.mktemp("bapenda_in") / "arrears.csv"
    path.write_bytes((sample / "arrears_register.csv").read_bytes())
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for child in minors(sample).itertuples():
            writer.writerow((f"A {9000 + child.Index % 999} ZZ", "PRIBADI", child.name, child.nik, child.birth_date,
                             "", "KAB. LEBAK", "", "500000", "12"))
    return path


@pytest.fixture(scope="session")
def run(register, tmp_path_factory):
    out = tmp_path_factory.mktemp("bapenda_out") / "hasil.csv"
    return match_file(register, out, as_of=NIGHT)
