"""Where registers land and results go, from the environment with local defaults."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.settings import local_dir

INCOMING_NAME = "arrears.csv"


def inbox_dir() -> Path:
    return Path(os.environ.get("DUKCAPIL_BAPENDA_INBOX", local_dir() / "bapenda" / "incoming"))


def outbox_dir() -> Path:
    return Path(os.environ.get("DUKCAPIL_BAPENDA_OUTBOX", local_dir() / "bapenda" / "outgoing"))
