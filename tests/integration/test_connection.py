"""The pipeline's connections to the warehouse."""

from __future__ import annotations

from pipelines.warehouse import connect


def test_pipeline_sessions_run_without_jit_compilation():
    # The server's default (on) compiled every bulk statement with LLVM: seconds
    # a statement for no gain (pipelines/warehouse/connection.py).
    with connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT current_setting('jit'), current_setting('application_name')")
        assert cur.fetchone() == ("off", "dukcapil")
