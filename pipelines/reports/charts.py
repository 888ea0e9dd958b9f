"""Charts as inline SVG written in plain Python: the report opens offline, in any
browser, with no script at all. Every label is escaped here because the
markup is handed to the template as already safe."""

from __future__ import annotations

import math
from html import escape

from markupsafe import Markup

from pipelines.reports.fmt import number, percent

WIDTH = 720
BLUE, RED, GREY, INK = "#1f5f99", "#c0392b", "#d0d5dc", "#222"


def _svg(height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


LOWEST_MARKED = 2
ORANGE = "#d35400"


def share_bars(items: list[tuple[str, float | None]], title: str) -> Markup:
    """Horizontal bars of shares (0..1) on an axis from 0 to 100%, lowest first,
    the value written at each bar's end; the lowest are marked, and a label
    without a value says "tidak ada data" instead of vanishing."""
    label_w, bar_w, row_h, top = 230, 400, 24, 28
    known = sorted((item for item in items if item[1] is not None), key=lambda item: item[1])
    rows = known + [item for item in items if item[1] is None]
    height = top + row_h * len(rows) + 24
    body = [_text(0, 16, title, font_weight="bold")]
    for tick in (0, 0.5, 1):
        x = label_w + bar_w * tick
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + row_h * len(rows)}" stroke="{GREY}"/>')
        body.append(_text(x, top + row_h * len(rows) + 14, percent(tick, 0), "middle", fill="#666"))
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        body.append(_text(label_w - 8, y + 15, label, "end"))
        if value is None:
            body.append(_text(label_w + 6, y + 15, "tidak ada data", fill="#8a5a00", font_style="italic"))
            continue
        lowest = i < LOWEST_MARKED and len(known) > LOWEST_MARKED
        width = bar_w * value
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" '
                    f'fill="{ORANGE if lowest else BLUE}"/>')
        tag = percent(value) + ("  terendah" if lowest else "")
        body.append(_text(label_w + width + 6, y + 15, tag, **({"font_weight": "bold"} if lowest else {})))
    return _svg(height, title, body)


def share_line(points: list[tuple[str, float | None]], title: str) -> Markup:
    """A line of shares over nights (oldest first); nights without a value are gaps."""
    left, right, top, plot_h = 70, 40, 30, 180  # room for the first and last date labels
    plot_w = WIDTH - left - right
    values = [v for _, v in points if v is not None]
    # One percentage point of margin each side: night-to-night moves are small.
    low = max(0.0, math.floor(min(values, default=0.0) * 100 - 1) / 100)
    high = min(1.0, math.ceil(max(values, default=1.0) * 100 + 1) / 100)
    span = (high - low) or 0.01
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (high - value) / span

    body = [_text(0, 16, title, font_weight="bold")]
    for tick in (low, (low + high) / 2, high):
        _, y = xy(0, tick)
        body.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GREY}"/>')
        body.append(_text(left - 6, y + 4, percent(tick), "end"))
    segment: list[str] = []
    for i, (_, value) in enumerate(points + [("", None)]):
        if value is None:
            if len(segment) > 1:
                body.append(f'<polyline fill="none" stroke="{BLUE}" stroke-width="2" points="{" ".join(segment)}"/>')
            segment = []
            continue
        x, y = xy(i, value)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{BLUE}"><title>{escape(points[i][0])}: '
                    f"{escape(percent(value, 2))}</title></circle>")
    body += _night_labels([label for label, _ in points], left, step, top + plot_h + 16)
    return _svg(top + plot_h + 30, title, body)


def load_bars(nights: list[tuple[str, int, int]], title: str) -> Markup:
    """Per night (oldest first) a bar of rows loaded with rows quarantined on top."""
    left, right, top, plot_h = 70, 20, 70, 160
    plot_w = WIDTH - left - right
    peak = max((loaded + quarantined for _, loaded, quarantined in nights), default=0) or 1
    slot = plot_w / max(len(nights), 1)
    bar = max(min(slot * 0.7, 40), 2)
    body = [_text(0, 16, title, font_weight="bold"),
            f'<rect x="{left}" y="24" width="10" height="10" fill="{BLUE}"/>', _text(left + 14, 33, "Dimuat"),
            f'<rect x="{left + 80}" y="24" width="10" height="10" fill="{RED}"/>', _text(left + 94, 33, "Dikarantina"),
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/>',
            _text(left - 6, top + 4, number(peak), "end"), _text(left - 6, top + plot_h, "0", "end")]
    labelled = len(nights) <= 10  # values on every bar while they fit, else on the last night only
    for i, (label, loaded, quarantined) in enumerate(nights):
        x = left + i * slot + (slot - bar) / 2
        h_loaded = plot_h * loaded / peak
        # A few quarantined rows among 100 000 would be under a pixel: at least 3 px when any.
        h_quarantined = max(plot_h * quarantined / peak, 3 if quarantined else 0)
        tip = f"{label}: {number(loaded)} dimuat, {number(quarantined)} dikarantina"
        body.append(f'<g><title>{escape(tip)}</title>'
                    f'<rect x="{x:.1f}" y="{top + plot_h - h_loaded:.1f}" width="{bar:.1f}" height="{h_loaded:.1f}" '
                    f'fill="{BLUE}"/><rect x="{x:.1f}" y="{top + plot_h - h_loaded - h_quarantined:.1f}" '
                    f'width="{bar:.1f}" height="{h_quarantined:.1f}" fill="{RED}"/></g>')
        if labelled or i == len(nights) - 1:
            y = top + plot_h - h_loaded - h_quarantined
            body.append(_text(x + bar / 2, y - 16, number(loaded), "middle", font_size="11"))
            body.append(_text(x + bar / 2, y - 4, f"+{number(quarantined)}", "middle", font_size="11", fill=RED))
    body += _night_labels([label for label, _, _ in nights], left + slot / 2, slot, top + plot_h + 16)
    return _svg(top + plot_h + 30, title, body)


def _night_labels(labels: list[str], first_x: float, step: float, y: float) -> list[str]:
    """At most about 8 date labels under the x axis, evenly spaced back from the last night."""
    every = max(1, math.ceil(len(labels) / 8))
    return [_text(first_x + i * step, y, label, "middle")
            for i, label in enumerate(labels) if (len(labels) - 1 - i) % every == 0]
