"""`make audit`: known vulnerabilities in the pinned packages of uv.lock.

Runs pip-audit (fetched by uv) over the locked requirements, with hashes, and
says plainly when no vulnerability database could be reached, instead of
reporting a clean bill of health it never checked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SERVICES = ("osv", "pypi")


def find_uv() -> str | None:
    """`make` passes the uv it installs as UV; else uv on PATH or where pip --user puts it."""
    for candidate in (os.environ.get("UV"), shutil.which("uv"), str(Path.home() / ".local" / "bin" / "uv")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def main() -> int:
    uv = find_uv()
    if uv is None:
        print("NOT AUDITED: uv not found (run `make setup`, or `python3 -m pip install --user uv`).")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        subprocess.run([uv, "export", "--frozen", "--no-emit-project", "--format", "requirements-txt",
                        "--quiet", "-o", str(requirements)], check=True)
        total = sum(1 for line in requirements.read_text().splitlines() if "==" in line)
        for service in SERVICES:
            report = Path(tmp) / f"{service}.json"
            run = subprocess.run([uv, "tool", "run", "pip-audit", "--requirement", str(requirements), "--require-hashes",
                                  "--disable-pip", "--progress-spinner", "off", "--vulnerability-service", service,
                                  "--format", "json", "--output", str(report)], capture_output=True, text=True)
            if not report.exists():
                print(f"{service}: vulnerability database not reachable ({_last_line(run.stderr)})")
                continue
            dependencies = json.loads(report.read_text())["dependencies"]
            audited = [d for d in dependencies if "skip_reason" not in d]
            if not audited:
                print(f"{service}: reachable but answered for none of the {total} pinned packages")
                continue
            vulnerable = [d for d in audited if d.get("vulns")]
            for dep in vulnerable:
                ids = ", ".join(v["id"] for v in dep["vulns"])
                print(f"VULNERABLE {dep['name']}=={dep['version']}: {ids}")
            print(f"{service}: {len(audited)} of {total} pinned packages checked, {len(vulnerable)} vulnerable")
            return 1 if vulnerable else 0
    print(f"NOT AUDITED: no vulnerability database was reachable; the {total} pinned packages were not checked.")
    return 2


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


if __name__ == "__main__":
    sys.exit(main())
