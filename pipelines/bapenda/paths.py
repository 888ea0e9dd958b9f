"""Where registers land and results go, from the environment with local defaults."""

from __future__ import annotations

from pathlib import Path

from pipelines.settings import bapenda_inbox, bapenda_outbox

INCOMING_NAME = "arrears.csv"


def inbox_dir() -> Path:
    return bapenda_inbox()


def outbox_dir() -> Path:
    return bapenda_outbox()
