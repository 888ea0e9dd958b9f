"""Matching on a generated sample: accuracy floors, what leaves, and its shape."""

from __future__ import annotations

import csv

import pandas as pd
from bapenda_eval import measure, run_rows, true_person

from pipelines.bapenda import match_file
from pipelines.bapenda.match import OUTPUT_COLUMNS
from pipelines.contract import DISTRICTS
from pipelines.warehouse import connect
from tests.integration.bapenda import arrears_variations as variations
from tests.integration.bapenda.conftest import MINORS, NIGHT

# Contract: nothing about the person beyond residence, life status and PINDAH.
FORBIDDEN = ("NIK", "AGAMA", "GOL_DRH", "NAMA", "NAMA_LGKP", "NAMA_LGKP_IBU", "NAMA_LGKP_AYAH", "NO_KK",
             "PDDK_AKH", "JENIS_PKRJN", "TGL_LHR", "STAT_KWN", "PENYANDANG_CACAT")
INDEPENDENT_ROWS = 500
FOUND_FLOOR = 0.92  # MATCHED + PROBABLE over all owners, as measured (0.925, docs/bapenda.md); the target is 0.95


def _result(run) -> pd.DataFrame:
    return pd.read_csv(run.output, dtype=str, keep_default_na=False)


def test_accuracy_floors(sample, run):
    with connect() as conn, conn.cursor() as cur:
        accuracy = measure(cur, run.run_id, sample, NIGHT)
    assert accuracy.matched >= 100
    assert accuracy.precision >= 0.99, accuracy
    assert accuracy.recall >= 0.95, accuracy
    assert accuracy.matched_recall >= 0.95, accuracy
    assert accuracy.companies_matched == 0 and accuracy.minors_returned == 0, accuracy


def test_one_row_per_input_row_in_order(register, run):
    register = pd.read_csv(register, dtype=str, keep_default_na=False)
    result = _result(run)
    assert list(result.columns) == OUTPUT_COLUMNS
    assert result["ROW_NO"].tolist() == [str(i) for i in range(1, len(register) + 1)]
    assert result["NO_POLISI"].tolist() == register["NO_POLISI"].tolist()


def test_nothing_forbidden_leaves(sample, run):
    result = _result(run)
    assert not set(FORBIDDEN) & set(result.columns)
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT nik, nama_lgkp FROM warehouse.person")
        niks, names = zip(*cur.fetchall())
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = 'bapenda'")
        shared_columns = {row[0].upper() for row in cur.fetchall()}
    assert not set(FORBIDDEN) & shared_columns
    text = run.output.read_text(encoding="utf-8") + run.summary_html.read_text(encoding="utf-8") \
        + run.summary_csv.read_text(encoding="utf-8")
    assert not any(nik in text for nik in niks)
    assert not any(name in text for name in names if len(name) > 8)  # short names occur inside addresses


def test_minors_and_companies_are_never_returned(sample, run):
    truth = pd.read_csv(sample / "truth" / "arrears.csv", dtype=str, keep_default_na=False)
    persons = pd.read_csv(sample / "truth" / "persons.csv", dtype=str).set_index("true_person_id")
    result = _result(run).merge(truth, on="ROW_NO", how="left").fillna("")
    born = result["true_person_id"].map(persons["birth_date"])
    minors = pd.concat([result[born.notna() & (born > NIGHT.replace(year=NIGHT.year - 17).isoformat())],
                        result.tail(MINORS)])
    assert (minors["STATUS"] == "NO_MATCH").all()
    assert (minors[["KODE_KAB", "ALAMAT", "STATUS_HIDUP"]] == "").all().all()
    assert set(minors["CONFIDENCE"]) == {"0.0"}  # the same as any NO_MATCH: no hint a child was found
    with connect() as conn, conn.cursor() as cur:  # found, then withheld
        cur.execute("SELECT count(*) FROM audit.bapenda_match_reason WHERE run_id = %s AND rule = 'minor'",
                    (run.run_id,))
        assert cur.fetchone()[0] >= MINORS
    companies = result[result["expected_status"] == "NOT_A_PERSON"]
    assert len(companies) and (companies["STATUS"] == "NOT_A_PERSON").all()
    assert (companies[["KODE_KAB", "KODE_KEL", "ALAMAT"]] == "").all().all()


def test_shared_fields_are_well_formed(run):
    result = _result(run)
    found = result[result["STATUS"].isin(["MATCHED", "PROBABLE"])]
    assert found["KODE_KAB"].str.fullmatch(r"36\d\d").all()
    assert found["KODE_KEC"].str.fullmatch(r"\d{6}").all() and found["KODE_KEL"].str.fullmatch(r"\d{10}").all()
    assert set(found["STATUS_HIDUP"]) <= {"HIDUP", "MENINGGAL"} and set(found["PINDAH"]) <= {"Y", "N", ""}
    assert result["CONFIDENCE"].astype(float).between(0, 1).all()
    assert (result.loc[result["STATUS"] == "NO_MATCH", ["KODE_KAB", "ALAMAT", "PINDAH"]] == "").all().all()


def test_run_is_recorded_with_reasons(run):
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT rows, matched, input_sha256, summary FROM bapenda.match_run WHERE run_id = %s",
                    (run.run_id,))
        rows, matched, sha, summary = cur.fetchone()
        cur.execute("SELECT count(*), count(*) FILTER (WHERE rule = 'nik_exact') FROM audit.bapenda_match_reason"
                    " WHERE run_id = %s", (run.run_id,))
        reasons, nik_exact = cur.fetchone()
        cur.execute("SELECT count(DISTINCT comparison), min(anchors) FROM audit.bapenda_register_m"
                    " WHERE run_id = %s", (run.run_id,))
        learnt, anchors = cur.fetchone()
    assert rows == run.rows and matched == run.counts["MATCHED"] and len(sha) == 64
    assert reasons > 0 and nik_exact > 0
    assert learnt == 4 and anchors > 0  # the register's own m for name, birth date, area and address, kept
    assert summary[0]["kelompok"] == "total"


def test_summary_csv_adds_up(run):
    with run.summary_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = int(rows[0]["tunggakan_rp"])
    by_status = sum(int(r["tunggakan_rp"]) for r in rows if r["kelompok"] == "status")
    by_kab = sum(int(r["tunggakan_rp"]) for r in rows if r["kelompok"] == "kab_kota")
    found = sum(int(r["tunggakan_rp"]) for r in rows if r["kode"] in ("MATCHED", "PROBABLE"))
    assert by_status == total and by_kab == found
    assert "Ringkasan pencocokan" in run.summary_html.read_text(encoding="utf-8")


def test_floors_on_an_independent_register(sample, tmp_path):
    """A register this project's generator did not write (arrears_variations):
    owners drawn from the loaded residents, with their own noise and truth."""
    register, truth = tmp_path / "independent.csv", tmp_path / "truth.csv"
    with connect() as conn, conn.cursor() as cur:
        variations.write(register, truth, variations.residents(cur, NIGHT), INDEPENDENT_ROWS, seed=3)
    run = match_file(register, tmp_path / "hasil.csv", as_of=NIGHT, summary=False)
    with connect() as conn, conn.cursor() as cur:
        figures, _ = variations.measure(cur, run.run_id, truth, true_person(cur, sample, NIGHT))
    assert figures.matched >= 200 and figures.identified >= 200, figures
    assert figures.precision >= 0.99 and figures.companies_matched == 0, figures
    assert figures.matched_recall >= 0.95, figures
    # The target is 0.95; owners named only by a common name in a stale area stay
    # unresolved (docs/bapenda.md): this is the floor measured, not the target.
    assert figures.found_recall >= FOUND_FLOOR, figures


def _name_only_owners(words: int) -> list[tuple]:
    """Up to three adults named in `words` words (the first of four letters or
    more) nobody else holds, living where they got their NIK, with an address
    and RT/RW: (person_id, name, alamat, rt, rw, district)."""
    with connect() as conn, conn.cursor() as cur:
        cur.execute("""SELECT p.person_id, p.nama_lgkp, p.alamat, p.no_rt, p.no_rw, p.district_code
                       FROM warehouse.person p
                       WHERE p.tgl_lhr < %s AND p.no_rt <> '' AND p.no_rw <> '' AND p.alamat <> ''
                         AND left(p.nik, 4) = p.district_code
                         AND array_length(string_to_array(p.nama_lgkp, ' '), 1) = %s
                         AND p.nama_lgkp ~ '^[A-Z]{4,} '
                         AND (SELECT count(*) FROM warehouse.person q WHERE q.nama_lgkp = p.nama_lgkp) = 1
                         AND NOT EXISTS (SELECT 1 FROM warehouse.person_residence r
                                         WHERE r.person_id = p.person_id AND r.district_code <> p.district_code)
                       ORDER BY p.person_id LIMIT 3""", (NIGHT.replace(year=NIGHT.year - 20), words))
        return cur.fetchall()


def _run_name_only(tmp_path, rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """rows: (name, address, registration kab/kota); the run's rows in order."""
    path = tmp_path / "name_only.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(variations.COLUMNS)
        for name, address, area in rows:
            writer.writerow(("A 1 B", "PRIBADI", name, "", "", address, area, "", "100000", "3"))
    run = match_file(path, tmp_path / "hasil.csv", as_of=NIGHT, summary=False)
    with connect() as conn, conn.cursor() as cur:
        return run_rows(cur, run.run_id).sort_values("ROW_NO")


def test_a_name_only_owner_registered_elsewhere_is_found_at_their_rt_rw(sample, tmp_path):
    """No NIK, no birth date, the vehicle registered in another kab/kota, but
    the address (RT/RW) they still live at: found by name and RT/RW, not lost
    to the registration area's blocking."""
    owners = _name_only_owners(2)
    assert owners
    elsewhere = {d: next(o for o in DISTRICTS if o != d) for *_, d in owners}
    found = _run_name_only(tmp_path, [(name, f"{alamat} RT {rt}/RW {rw}", DISTRICTS[elsewhere[district]].name)
                                      for _, name, alamat, rt, rw, district in owners])
    assert found["status"].isin(["MATCHED", "PROBABLE"]).all(), found
    assert found["found_id"].tolist() == [o[0] for o in owners]


def test_a_name_only_owner_with_an_initial_is_found_at_their_rt_rw(sample, tmp_path):
    """The given name as its initial ("S. RAHAYU"): no name skeleton to block
    on; the initials at the RT/RW of the registered address, in the area, find them."""
    owners = _name_only_owners(2)
    assert owners
    found = _run_name_only(tmp_path, [(f"{name[0]}. {name.split()[1]}", f"{alamat} RT {rt}/RW {rw}",
                                       DISTRICTS[district].name) for _, name, alamat, rt, rw, district in owners])
    assert found["status"].isin(["MATCHED", "PROBABLE"]).all(), found
    assert found["found_id"].tolist() == [o[0] for o in owners], found
