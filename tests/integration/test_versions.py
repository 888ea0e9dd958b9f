"""History as record versions (migration 050): an ordinary night stages only the
rows that changed, and every loaded night keeps showing exactly its own file,
whatever order files arrive in and however often a night is re-delivered."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from pipelines import nightly
from pipelines.sql import sql
from pipelines.validate.family import family_params
from pipelines.validate.suite import SUITE_PATH
from pipelines.warehouse import connect
from tests.rows import csv_text, valid_row, write_export

FIRST = dt.date(2025, 3, 1)  # older than every other test's nights: their history must not move


GIVEN = ["ADI", "BUDI", "CITRA", "DEWI", "EKO", "FAJAR", "GITA", "HADI", "INDAH", "JOKO", "KARTIKA"]


def row(serial: int, variant: int) -> dict[str, str]:
    """A resident of these tests only (the name marks them); variant changes the address."""
    return valid_row(7000 + serial, NAMA_LGKP=f"VERSI UJI {GIVEN[serial - 1]}", ALAMAT=f"JL. VERSI {variant}",
                     TGL_LHR=f"19{60 + serial}-05-15", NIK=f"3601011505{60 + serial}{7000 + serial}")


def deliver(landing, night: dt.date, content: dict[int, int]) -> dict:
    write_export(landing / night.isoformat(), "3601",
                 csv_text([row(serial, variant) for serial, variant in sorted(content.items())]))
    outcome = nightly.stage_district(landing, night, "3601")
    nightly.resolve_identity(night)
    nightly.publish_night(night)
    return outcome


def shown(night: dt.date) -> set[tuple[str, str]]:
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT nama_lgkp, alamat FROM warehouse.resident_record
                       WHERE export_date = %s AND district_code = '3601'""", (night,))
        return set(cur.fetchall())


def expected(content: dict[int, int]) -> set[tuple[str, str]]:
    return {(r["NAMA_LGKP"], r["ALAMAT"]) for r in (row(s, v) for s, v in content.items())}


def other_nights(nights: list[dt.date]) -> dict[tuple, int]:
    """What every other loaded night shows (other tests' nights included)."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT export_date, district_code, nik, nama_lgkp, alamat, count(*)
                       FROM warehouse.resident_record WHERE export_date <> ALL(%s)
                       GROUP BY export_date, district_code, nik, nama_lgkp, alamat""", (nights,))
        return {tuple(r[:-1]): r[-1] for r in cur.fetchall()}


def test_an_ordinary_night_stages_only_what_changed(tmp_path, own_warehouse):
    first, second = FIRST + dt.timedelta(days=100), FIRST + dt.timedelta(days=101)
    night1 = dict.fromkeys(range(1, 11), 0)
    night2 = {**night1, 3: 1, 11: 0}  # one address changed, one birth
    del night2[7]  # one gone
    deliver(tmp_path, first, night1)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM warehouse.record_version WHERE nama_lgkp LIKE 'VERSI UJI %%'")
        versions_before = cur.fetchone()[0]
    outcome = deliver(tmp_path, second, night2)
    assert (outcome["rows_read"], outcome["rows_loaded"], outcome["rows_unchanged"]) == (10, 10, 8)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM warehouse.record_version WHERE nama_lgkp LIKE 'VERSI UJI %%'")
        assert cur.fetchone()[0] - versions_before == 2  # only the changed and the new row were stored
        cur.execute("""SELECT cardinality(ARRAY(SELECT unnest(a.version_ids) INTERSECT SELECT unnest(b.version_ids)))
                       FROM warehouse.night_record a, warehouse.night_record b
                       WHERE a.district_code = '3601' AND b.district_code = '3601'
                         AND a.export_date = %s AND b.export_date = %s""", (first, second))
        assert cur.fetchone()[0] == 8
        cur.execute("SELECT rows_unchanged FROM audit.file_load WHERE export_date = %s AND district_code = '3601'",
                    (second,))
        assert cur.fetchone()[0] == 8
        # Row digests, which the next night compares with, are kept for the latest night only.
        cur.execute("""SELECT export_date, length(row_hashes) FROM warehouse.night_record
                       WHERE district_code = '3601' AND row_hashes IS NOT NULL""")
        assert cur.fetchall() == [(second, 16 * 10)]
        # Row numbers are those of each night's own file.
        cur.execute("""SELECT source_row, nama_lgkp FROM warehouse.resident_record
                       WHERE export_date = %s AND district_code = '3601' ORDER BY source_row""", (second,))
        assert cur.fetchall() == [(i, row(s, v)["NAMA_LGKP"]) for i, (s, v) in enumerate(sorted(night2.items()), 1)]
    assert shown(first) == expected(night1) and shown(second) == expected(night2)


def test_a_night_identical_to_the_previous_one_stores_nothing_new(tmp_path, own_warehouse):
    first, second = FIRST + dt.timedelta(days=150), FIRST + dt.timedelta(days=151)
    content = dict.fromkeys(range(1, 6), 0)
    deliver(tmp_path, first, content)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM warehouse.record_version")
        versions_before = cur.fetchone()[0]
    outcome = deliver(tmp_path, second, content)
    assert (outcome["status"], outcome["rows_read"], outcome["rows_loaded"], outcome["rows_unchanged"],
            outcome["rows_quarantined"]) == ("staged", 5, 5, 5, 0)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM warehouse.record_version")
        assert cur.fetchone()[0] == versions_before
        # Data Docs still list the district: a result over no rows, GX left unrun.
        cur.execute("""SELECT result -> 'statistics' FROM audit.validation_result
                       WHERE export_date = %s AND district_code = '3601'""", (second,))
        statistics = cur.fetchone()[0]
        expectations = len(json.loads(SUITE_PATH.read_text())["expectations"])
        assert statistics["successful_expectations"] == statistics["evaluated_expectations"] == expectations
    assert shown(second) == expected(content)


def test_a_district_staged_again_before_publishing_keeps_its_versions(tmp_path, own_warehouse):
    # Staging stores a night's new versions before publish: a run that died in
    # between leaves them, and the next run must find them, not store them twice.
    content = dict.fromkeys(range(1, 6), 0)
    write_export(tmp_path / FIRST.isoformat(), "3601", csv_text([row(serial, 0) for serial in content]))
    for _ in range(2):
        outcome = nightly.stage_district(tmp_path, FIRST, "3601")
        assert (outcome["status"], outcome["rows_loaded"]) == ("staged", 5)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT row_hash) FROM warehouse.record_version")
        assert cur.fetchone() == (5, 5)
    nightly.resolve_identity(FIRST)
    nightly.publish_night(FIRST)
    assert shown(FIRST) == expected(content)


def test_a_night_delivered_late_compares_with_the_night_before_it(tmp_path, own_warehouse):
    # Only the latest night keeps its row digests: a late night before it finds
    # the previous night's rows through record_version instead.
    nights = [FIRST + dt.timedelta(days=200 + i) for i in range(3)]
    content = dict.fromkeys(range(1, 11), 0)
    deliver(tmp_path, nights[0], content)
    deliver(tmp_path, nights[2], content)
    outcome = deliver(tmp_path, nights[1], {**content, 5: 1})
    assert (outcome["rows_read"], outcome["rows_unchanged"]) == (10, 9)
    assert shown(nights[1]) == expected({**content, 5: 1})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_night_shows_its_own_file_in_any_order(tmp_path, seed):
    rng = random.Random(seed)
    nights = [FIRST + dt.timedelta(days=10 * seed + i) for i in range(4)]
    others = other_nights(nights)
    files: dict[dt.date, dict[int, int]] = {}
    for step in range(7):
        night = rng.choice(nights)  # out of order, and sometimes a re-delivery
        content = {s: rng.randint(0, 1) for s in range(1, 9) if rng.random() < 0.8}
        assert deliver(tmp_path, night, content)["status"] == "staged"
        files[night] = content
        for loaded, content_then in files.items():
            assert shown(loaded) == expected(content_then), (seed, step, loaded)
    assert other_nights(nights) == others
    with connect() as conn, conn.cursor() as cur:
        # One person per resident across all nights, and never two current versions of one key.
        cur.execute("""SELECT count(DISTINCT person_id) FROM warehouse.resident_record
                       WHERE nama_lgkp LIKE 'VERSI UJI %%' AND export_date = ANY(%s)""", (nights,))
        assert cur.fetchone()[0] == len({s for content in files.values() for s in content})


def test_family_rule_counts_tonight_members_of_changed_families(tmp_path, own_warehouse):
    # One head per family card (a warning): checked on the families with a row
    # changed tonight, over their members in tonight's file, whether staged
    # tonight or kept from the night before; a version the file dropped is no member.
    def member(serial: int, kk: int, head: bool, variant: int = 0) -> dict[str, str]:
        return valid_row(serial, NO_KK=f"36010120011000{kk:02d}", STAT_HBKEL="1" if head else "4",
                         NAMA_LGKP=f"KELUARGA UJI {GIVEN[serial - 1]}", ALAMAT=f"JL. KELUARGA {variant}")

    first, second = dt.date(2025, 6, 1), dt.date(2025, 6, 2)
    night1 = [member(1, 1, True), member(2, 1, False), member(3, 2, True), member(4, 2, False),
              member(5, 3, True), member(6, 3, False), member(7, 4, True), member(8, 4, False)]
    night2 = [member(1, 1, True), member(2, 1, True, 1),   # family 1: a second head
              member(3, 2, False, 1), member(4, 2, False),  # family 2: its head is a head no more
              member(5, 3, True, 1),                        # family 3: the head moved house, 6 left
              member(7, 4, True), member(8, 4, False)]      # family 4: unchanged, not checked
    for night, rows in ((first, night1), (second, night2)):
        write_export(tmp_path / night.isoformat(), "3601", csv_text(rows))
        nightly.stage_district(tmp_path, night, "3601")
        nightly.resolve_identity(night)
        nightly.publish_night(night)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT export_date, rows FROM audit.rule_count WHERE rule = 'one_head_per_family'"
                    " ORDER BY export_date")
        assert cur.fetchall() == [(second, 4)]


def _node_id_050(nik, no_kk, nama, sex, place, born, mother, father) -> str:
    """node_id_of as migration 050 first defined it, over these columns."""
    parts = [f"coalesce({c}, '')" for c in (nik, no_kk, nama, sex, place)]
    parts += [f"coalesce(to_char({born}, 'YYYY-MM-DD'), '')", f"coalesce({mother}, '')", f"coalesce({father}, '')"]
    return f"md5(concat_ws('|', {', '.join(parts)}))"


def test_node_ids_keep_the_value_they_were_first_stored_with(tmp_path, own_warehouse):
    """Migration 120 rewrote node_id_of so that the planner inlines it: every node
    id already stored must come out the same, whatever the record lacks."""
    deliver(tmp_path, FIRST, {1: 1, 2: 1, 3: 1})
    columns = ("nik", "no_kk", "nama_lgkp", "jenis_klmin", "tmpt_lhr", "tgl_lhr", "nama_lgkp_ibu", "nama_lgkp_ayah")
    node_id = f"warehouse.node_id_of({', '.join(columns)})"
    with connect() as conn, conn.cursor() as cur:
        cur.execute(f"""SELECT count(*), count(*) FILTER (WHERE {node_id} <> {_node_id_050(*columns)})
                        FROM (VALUES ('3601011505600001', '3601010101010001', 'SITI AMINAH', '2', 'SERANG',
                                      date '1960-05-15', 'MARYAM', 'ABDULLAH'),
                                     (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                                     ('', '', 'A|B', '1', '', date '0999-02-03', '', NULL),
                                     ('3601', NULL, 'BUDI', NULL, 'LEBAK', date '2024-02-29', NULL, 'X'))
                             AS r({', '.join(columns)})
                        UNION ALL
                        SELECT count(*), count(*) FILTER (WHERE node_id <> {node_id}) FROM warehouse.record_version""")
        (cases, differ), (stored, stored_differ) = cur.fetchall()
        cur.execute(f"EXPLAIN (VERBOSE) SELECT {node_id} FROM warehouse.record_version")
        plan = " ".join(row[0] for row in cur.fetchall())
    assert (cases, differ) == (4, 0)
    assert (stored, stored_differ) == (3, 0)
    assert "node_id_of" not in plan and "md5(" in plan  # inlined, not called row by row


def _scans(plan: dict, relation: str) -> list[tuple[str, str | None]]:
    """(node type, index) of every node of an EXPLAIN (FORMAT JSON) plan that reads `relation`."""
    found = [(plan["Node Type"], plan.get("Index Name"))] if plan.get("Relation Name") == relation else []
    return found + [scan for child in plan.get("Plans", []) for scan in _scans(child, relation)]


def test_family_rule_reads_its_families_from_the_index_alone(tmp_path, own_warehouse):
    # Migration 150: the family rule's lookup needs no heap page of
    # record_version (at 12.9 M its heap reads cost 2-10 s a district).
    first, second = dt.date(2025, 7, 1), dt.date(2025, 7, 2)
    for night in (first, second):
        rows = [valid_row(i, NAMA_LGKP=f"KELUARGA INDEKS {GIVEN[i - 1]}", ALAMAT=f"JL. {night.day}")
                for i in range(1, 5)]
        write_export(tmp_path / night.isoformat(), "3601", csv_text(rows))
    # A first night vacuums what it filled: the visibility map is set.
    nightly.stage_district(tmp_path, first, "3601")
    nightly.resolve_identity(first)
    nightly.publish_night(first)
    nightly.stage_district(tmp_path, second, "3601")
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT load_id FROM staging.load WHERE export_date = %s", (second,))
        params = family_params(cur.fetchone()[0])
        # The tables are tiny: left free, the planner would rather scan them.
        cur.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
        cur.execute("EXPLAIN (FORMAT JSON) " + sql("pipelines.warehouse", "family_members"), params)
        plan = cur.fetchone()[0][0]["Plan"]
    assert _scans(plan, "record_version") == [("Index Only Scan", "record_version_kk")]
