"""Property-based: random bytes, encodings and delimiters never crash the reader,
and every row it reads is accounted for exactly once."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import ingest
from tests.rows import csv_text, valid_row, write_export

NIGHT = dt.date(2026, 11, 26)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read_all(path):
    try:
        export = ingest.inspect(path, "3601", NIGHT)
        chunks = list(ingest.read_chunks(export, chunk_rows=3))
    except ingest.FileRejected as rejected:
        assert rejected.reason and "3601" in rejected.detail
        return None
    rows = [r for c in chunks for r in c.frame["source_row"].tolist()]
    problems = [p.source_row for c in chunks for p in c.problems]
    return rows, problems


@FUZZ
@given(noise=st.binary(max_size=2000))
def test_random_bytes_never_crash(tmp_path, noise):
    read_all(write_export(tmp_path, "3601", noise))


@FUZZ
@given(
    delimiter=st.sampled_from([",", ";", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    names=st.lists(st.text(alphabet=st.characters(codec="cp1252", exclude_characters="\r\x00"), max_size=70),
                   min_size=1, max_size=6),
    cut=st.integers(min_value=0, max_value=5000),
    junk=st.sampled_from(["", '"', "\x00", "\n\n", ";;;", "NIK,NAMA_LGKP\n"]),
)
def test_damaged_text_rows_are_all_accounted_for(tmp_path, delimiter, encoding, names, cut, junk):
    rows = [valid_row(i + 1, NAMA_LGKP=name) for i, name in enumerate(names)]
    text = csv_text(rows, delimiter)
    header_end = text.index("\n") + 1
    body = text[header_end:]
    position = cut % (len(body) + 1)
    damaged = text[:header_end] + body[:position] + junk + body[position:]
    result = read_all(write_export(tmp_path, "3601", damaged, encoding=encoding))
    if result is None:
        return
    loaded, problems = result
    seen = sorted(loaded + problems)
    assert seen == list(range(1, len(seen) + 1)), "each row read exactly once, numbered without gaps"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(st.sampled_from(["NIK", "NAMA_LGKP", "TGL_LHR", "AGAMA", "NO_KEL", "NO_KAB",
                                                   "JENIS_KLMIN", "EKTP_CURRENT_STATUS_CODE"]),
                                 st.text(max_size=80)), min_size=1, max_size=12))
def test_validated_rows_never_break_the_contract(tmp_path, values):
    import re

    from pipelines.contract import CODE_LISTS, NAME_MAX_LENGTH
    from pipelines.validate import validate_chunk

    rows = [valid_row(i + 1, **{column: value}) for i, (column, value) in enumerate(values)]
    export = ingest.inspect(write_export(tmp_path, "3601", csv_text(rows)), "3601", NIGHT)
    for chunk in ingest.read_chunks(export):
        good = validate_chunk(chunk.frame, "3601", NIGHT).good
        for row in good.to_dict("records"):
            assert re.fullmatch(r"\d{16}", row["NIK"]) and re.fullmatch(r"\d{16}", row["NO_KK"])
            assert 0 < len(row["NAMA_LGKP"]) <= NAME_MAX_LENGTH
            assert row["NO_PROP"] + row["NO_KAB"] == "3601"
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["TGL_LHR"]) and row["TGL_LHR"] <= NIGHT.isoformat()
            for column, codes in CODE_LISTS.items():
                assert row[column] is None or row[column] in codes, column
