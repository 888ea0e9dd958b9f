"""The blocking rules pair what the birth-date comparison can still call close."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from pipelines.identity import model


def _blocked(dates: dict[str, dt.date]) -> set[tuple[str, str]]:
    """Pairs the rules make among namesakes with these birth dates (distinct NIKs, no parents)."""
    nodes = pd.DataFrame({"unique_id": list(dates), "dob": list(dates.values())})
    nodes = nodes.assign(nik=[f"36010101018{i:05d}" for i in range(len(nodes))], name_skel="AHMD FZ",
                         first_skel="AHMD", birth_year=[d.year for d in nodes["dob"]], nik_birth=None,
                         mother_skel=None)
    con = duckdb.connect()
    con.register("n", nodes)
    pairs = set()
    for rule in model.BLOCKING_RULES:
        pairs |= set(con.execute(f"SELECT l.unique_id, r.unique_id FROM n l JOIN n r"
                                 f" ON l.unique_id < r.unique_id AND ({rule})").fetchall())
    return pairs


def test_namesakes_of_a_year_pair_on_one_typo_or_an_estimated_date_only():
    pairs = _blocked({
        "a": dt.date(1985, 3, 7),
        "b": dt.date(1985, 3, 17),  # a typo in a's day
        "c": dt.date(1985, 8, 7),  # a typo in a's month
        "d": dt.date(1985, 7, 1),  # an estimated date: close to any date of the year
        "e": dt.date(1985, 11, 23),  # the same year, nothing else
        "f": dt.date(1986, 3, 7),  # a typo in the year: only with the mothers agreeing (another rule)
    })
    assert pairs == {("a", "b"), ("a", "c"), ("a", "d"), ("b", "d"), ("c", "d"), ("d", "e")}
