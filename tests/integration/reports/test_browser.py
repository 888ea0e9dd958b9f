"""The managers' report in a real browser: headless Chromium (Debian's
`chromium`) opens it offline, screenshots it, and shows the headline figures
without a single console message (the report carries no script at all)."""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not found: install Debian's chromium and chromium-driver (.ci/run does)")


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a file with networking impossible (every host
    resolves to nothing), logging the page's console to stderr."""
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True)


def console_messages(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def test_console_errors_are_caught(tmp_path):
    # The check below is only worth something if a broken page fails it.
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>notDefined();</script></body></html>")
    assert any("notDefined" in line for line in console_messages(chromium(page, tmp_path / "p", "--dump-dom")))


def test_report_renders_offline_with_headline_figures(report_path, tmp_path):
    shot = tmp_path / "report.png"
    run = chromium(report_path, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert console_messages(run) == []
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1280, 2000)
    assert len(png) > 50_000  # a blank page compresses to a few kB

    dom = chromium(report_path, tmp_path / "profile", "--dump-dom")
    assert console_messages(dom) == []
    for element_id, value in (("cakupan-provinsi", "85,0%"), ("wajib-ktp", "40"), ("sudah-rekam", "34"),
                              ("belum-rekam", "6"), ("baris-dimuat", "40")):
        assert f'id="{element_id}">{value}<' in dom.stdout
    assert "<script" not in dom.stdout and dom.stdout.count("<svg") == 3
    assert "Kab. Pandeglang" in dom.stdout and "<details" in dom.stdout


# The report laid out in a frame of the given width (headless Chromium's window
# is at least 500 px wide), measured from the host page: how wide the report
# scrolls, and how many headline cards, charts, headings or paragraphs stick out.
HOST = """<!doctype html><html><head><title>-</title></head><body style="margin:0">
<iframe id="r" src="{src}" style="width:{width}px;height:900px;border:0"></iframe>
<script>
document.getElementById("r").onload = () => {{
  const doc = document.getElementById("r").contentDocument, w = {width};
  document.title = JSON.stringify({{
    scroll: doc.documentElement.scrollWidth,
    outside: [...doc.querySelectorAll("dl.headline div, svg, h1, h2, p")]
      .filter(e => e.getBoundingClientRect().right > w + 1).length}});
}};
</script></body></html>"""


@pytest.mark.parametrize("width", [400, 1400])
def test_layout_fits_a_phone_and_a_desktop(report_path, tmp_path, width):
    host = report_path.parent / f"host_{width}.html"
    host.write_text(HOST.format(src=report_path.name, width=width), encoding="utf-8")
    dom = chromium(host, tmp_path / "profile", "--dump-dom", "--allow-file-access-from-files",
                   f"--window-size={width + 100},1000")
    assert console_messages(dom) == []
    layout = json.loads(html.unescape(re.search(r"<title>(.*?)</title>", dom.stdout)[1]))
    assert layout["scroll"] <= width, "the page scrolls sideways: something is wider than the screen"
    assert layout["outside"] == 0
