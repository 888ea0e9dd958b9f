"""A notifier for tests: appends each rendered summary to DUKCAPIL_TEST_NOTIFY_FILE."""

from __future__ import annotations

import os

from airflow.sdk import BaseNotifier


class RecordingNotifier(BaseNotifier):
    template_fields = ("message",)

    def __init__(self, message: str = "{{ dukcapil_summary }}"):
        super().__init__()
        self.message = message

    def notify(self, context) -> None:
        with open(os.environ["DUKCAPIL_TEST_NOTIFY_FILE"], "a", encoding="utf-8") as out:
            out.write(self.message + "\n")


def recording() -> RecordingNotifier:
    return RecordingNotifier()
