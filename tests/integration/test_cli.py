"""What `dukcapil` tells an operator: plain one-line errors, documented exit
codes, this run's outcomes, help on every option (docs: README, `--help`)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from pipelines import console
from pipelines.cli import build_parser, main
from pipelines.settings import PROJECT_ROOT

NIGHT = "2026-11-26"
DEAD_SERVER = "postgresql://bob:s3cret@127.0.0.1:1/nowhere"


def outcome(code: str, status: str, read=100, loaded=99, quarantined=1, reason=None, file_name="x.csv") -> dict:
    return {"district_code": code, "status": status, "file_name": file_name, "rows_read": read,
            "rows_loaded": loaded, "rows_quarantined": quarantined, "reason": reason}


def test_missing_landing_or_night_folder_fails_at_once_naming_the_path(tmp_path, capsys):
    assert main(["run", "--landing", str(tmp_path / "nope"), "--night", NIGHT]) == console.EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err == f"error: landing folder not found: {tmp_path / 'nope'}"
    assert main(["run", "--landing", str(tmp_path), "--night", NIGHT]) == console.EXIT_USAGE
    assert capsys.readouterr().err.strip() == (f"error: no folder for night {NIGHT}: "
                                               f"{tmp_path / NIGHT} does not exist")


@pytest.mark.parametrize("argv", [
    ["run", "--landing", "{landing}", "--night", NIGHT],
    ["report", "--night", NIGHT, "--out", "{tmp}"],
    ["worklist", "--night", NIGHT, "--district", "3601", "--out", "{tmp}/w"],
    ["bapenda-match", "--input", "{tmp}/register.csv", "--output", "{tmp}/out.csv"],
    ["identity", "review"],
])
def test_unreachable_warehouse_is_one_line_naming_the_server_without_password(argv, tmp_path, monkeypatch,
                                                                               capsys):
    (tmp_path / NIGHT).mkdir()
    (tmp_path / "register.csv").write_text(
        "NO_POLISI,JENIS_PEMILIK,NAMA_PEMILIK,NIK_PEMILIK,TGL_LHR_PEMILIK,ALAMAT_PEMILIK,KAB_KOTA_DAFTAR,KEC_DAFTAR,"
        "TUNGGAKAN_RP,BULAN_TUNGGAK\nA 1 B,PRIBADI,ASEP,3603092204570001,,KP. X,KABUPATEN TANGERANG,KEMIRI,1000,1\n")
    monkeypatch.setenv("WAREHOUSE_URL", DEAD_SERVER)
    code = main([part.format(landing=tmp_path, tmp=tmp_path) for part in argv])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.startswith("error: cannot reach the warehouse bob@127.0.0.1:1/nowhere (WAREHOUSE_URL):")
    assert "Check that PostgreSQL runs there" in err and len(err.splitlines()) == 1
    assert "s3cret" not in err


def test_report_for_a_night_never_loaded_says_so(tmp_path, capsys):
    assert main(["report", "--night", "2031-01-01", "--out", str(tmp_path)]) == 4
    assert "night 2031-01-01 was never loaded" in capsys.readouterr().err
    assert not (tmp_path / "index.html").exists()


def test_bapenda_match_on_a_missing_file_says_it_is_missing(tmp_path, capsys):
    assert main(["bapenda-match", "--input", str(tmp_path / "absent.csv"), "--output", str(tmp_path / "o.csv")]) == 2
    out = capsys.readouterr().out
    assert "absent.csv: berkas tidak ada" in out and "UTF-8" not in out


def test_exit_codes_from_this_runs_outcomes():
    from pipelines.contract import DISTRICTS

    loaded = {code: outcome(code, "staged") for code in DISTRICTS}
    assert console.outcome_code(loaded) == console.EXIT_LOADED
    assert console.outcome_code({**loaded, "3601": outcome("3601", "unchanged")}) == console.EXIT_LOADED
    assert console.outcome_code({**loaded, "3601": outcome("3601", "rejected", reason="rusak")}) == \
        console.EXIT_PARTIAL
    partial = dict(loaded)
    del partial["3672"]  # never recorded by this run: missing
    assert console.outcome_code(partial) == console.EXIT_PARTIAL
    missing = {code: outcome(code, "rejected", file_name=None, reason="tidak diterima") for code in DISTRICTS}
    assert console.outcome_code(missing) == console.EXIT_NOTHING
    assert console.outcome_code({}) == console.EXIT_NOTHING


def test_progress_line_and_table_in_bahasa_with_district_names():
    line = console.progress_line(3, outcome("3603", "staged", read=26_927, loaded=26_924, quarantined=3))
    assert line == "[3/8] 3603 Kab. Tangerang: dimuat 26.924, karantina 3"
    table = "\n".join(console.summary_table({
        "3601": outcome("3601", "staged", read=1200, loaded=1190, quarantined=10),
        "3602": outcome("3602", "unchanged"),
        "3603": outcome("3603", "rejected", reason="Kolom NIK hilang"),
        "3604": outcome("3604", "rejected", file_name=None, reason="Berkas ekspor malam ini tidak diterima.")}))
    rows = {line.split("  ")[0]: line for line in table.splitlines()}
    assert "dimuat" in rows["3601 Kab. Pandeglang"] and "1.190" in rows["3601 Kab. Pandeglang"]
    # An unchanged file was not loaded by this run: no counts claimed for it.
    assert "tidak berubah" in rows["3602 Kab. Lebak"] and "99" not in rows["3602 Kab. Lebak"]
    assert "ditolak" in rows["3603 Kab. Tangerang"] and "Kolom NIK hilang" in rows["3603 Kab. Tangerang"]
    assert "tidak diterima" in rows["3604 Kab. Serang"]
    assert "tidak diterima" in rows["3671 Kota Tangerang"]  # nothing recorded at all
    for english in ("loaded", "rejected", "district", "reason"):
        assert english not in table


def test_server_name_never_shows_the_password():
    assert console.server_name("postgresql://etl:pw@db.example:6543/dukcapil") == "etl@db.example:6543/dukcapil"
    assert console.server_name("postgresql:///dukcapil") == "localhost:5432/dukcapil"


def test_every_option_has_help_text():
    def parsers(parser: argparse.ArgumentParser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from parsers(sub)

    missing = [f"{parser.prog} {action.option_strings[0]}" for parser in parsers(build_parser())
               for action in parser._actions if action.option_strings and not action.help]
    assert missing == []


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("demo", "test", "test-distributed", "bench", "bench-floor", "bench-identity", "bench-bapenda",
                   "audit"):
        assert f"make {target} " in out


def test_audit_without_uv_says_so_plainly(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "scripts/audit.py"], cwd=PROJECT_ROOT, env=env, capture_output=True,
                         text=True)
    assert run.returncode == 2
    assert run.stdout.startswith("NOT AUDITED: uv not found") and "Traceback" not in run.stderr


def test_output_to_sends_everything_to_the_log_and_keeps_the_terminal(tmp_path, capfd):
    log = tmp_path / "logs" / "run.log"
    with console.output_to(log) as terminal:
        print("noise from a library")
        os.write(2, b"noise at the fd level\n")
        print("[1/8] progress", file=terminal)
    out = capfd.readouterr().out
    assert out == "[1/8] progress\n"
    assert log.read_text() == "noise from a library\nnoise at the fd level\n"
