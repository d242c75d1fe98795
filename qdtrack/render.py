"""Turn verdicts into text: tables, markdown and csv, in English or Chinese.

Nothing here queries the ledger or computes a status. Tables line up Chinese text (widths from
the standard library's ``unicodedata``), colour only when the CLI says so (a terminal and no NO_COLOR), and never
carry control characters from notes or names (``clean``).
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .model import DISPLAY_ORDER, Area, LagRow, MetricVerdict, TaskVerdict, counts
from .quantity import format_quantity, round_half_up
from .texts import HEADERS, STATUS_WORDS

STATUS_COLOURS = {"done": "green", "ahead": "cyan", "on_track": "blue", "lagging": "red", "no_data": "yellow", "not_judged": "magenta"}
_ANSI = r"\x1b\[[0-9;]*m"
_CONTROL = {c: " " for c in (*range(32), *range(127, 160)) if c != 10} | {0x2028: " ", 0x2029: " "}  # C0, DEL, all C1 (OSC 0x9D …)


def clean(text: object) -> str:
    """Text safe for a terminal or a display format: control characters (escapes, bells,
    carriage returns, OSC sequences) become spaces; newlines are kept."""
    return str(text).translate(_CONTROL)


def one_line(text: object) -> str:
    return " ".join(clean(text).split())


def words(lang: str) -> dict[str, str]:
    return STATUS_WORDS[lang]


def fmt_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    return format_quantity(value, unit)


def fmt_pct(x: float | None) -> str:
    """A percentage for people: one decimal, rounded half up (56.25 → 56.3)."""
    return "" if x is None else round_half_up(x)


def fmt_points(x: float | None) -> str:
    """A rate against its target, in points: ``+0.4``, ``-1.2``."""
    if x is None:
        return ""
    d = round_half_up(x)
    return d if d.startswith("-") or d.strip("0.") == "" else f"+{d}"


def fmt_amount(value: float | None, unit: str) -> str:
    """A shortfall or need: points for rates, else the metric's unit."""
    if value is None:
        return ""
    if unit == "个百分点":
        return f"{round_half_up(value)}个百分点"
    return format_quantity(float(round_half_up(value, 2)), unit)


def bar(percent: float | None, expected: float | None, width: int = 10) -> str:
    """A text progress bar with the pace marked: ``[####|-----]``."""
    if percent is None:
        cells = ["."] * width
    else:
        filled = max(0, min(width, round(percent / 100 * width)))
        cells = ["#"] * filled + ["-"] * (width - filled)
    if expected is not None:
        pos = max(0, min(width, round(expected / 100 * width)))
        cells.insert(pos, "|")
    return "[" + "".join(cells) + "]"


@functools.cache  # a table of 169 tasks measures ~11,000 characters of a few hundred distinct ones
def char_width(ch: str) -> int:
    """Terminal columns of one character: 2 for East Asian wide and full-width, 0 for combining
    marks and format characters, else 1 (the standard library's tables; no wcwidth import)."""
    if ch.isascii():
        return 1 if ch.isprintable() else 0
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Terminal columns of ``text``, colour codes (``click.style``) not counted."""
    if "\x1b" in text:
        text = re.sub(_ANSI, "", text)
    return len(text) if text.isascii() else sum(map(char_width, text))


def truncate(text: str, cols: int) -> str:
    """Cut text to at most ``cols`` terminal columns (Chinese counts two)."""
    text = one_line(text)
    if text_width(text) <= cols:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > cols - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def style_status(status: str, lang: str, colour: bool) -> str:
    word = words(lang)[status]
    if not colour:
        return word
    import click

    return click.style(word, fg=STATUS_COLOURS[status], bold=status == "lagging")


def summary_line(verdicts: Iterable[TaskVerdict], lang: str) -> str:
    c = counts(verdicts)
    w = words(lang)
    return " · ".join(f"{w[s]} {c[s]}" for s in DISPLAY_ORDER)


def progress_cells(mv: MetricVerdict) -> tuple[str, str, str]:
    """% (or points for a rate), pace % and bar of one metric."""
    if mv.metric.is_rate:
        return fmt_points(mv.points_vs_target), "", ""
    return fmt_pct(mv.percent), fmt_pct(mv.expected_percent), bar(mv.percent, mv.expected_percent)


def metric_rows(tv: TaskVerdict, lang: str, colour: bool, width: int = 28) -> list[list[str]]:
    """Table rows for one task: one per metric, one for a task without numeric targets."""
    t = tv.task
    title = truncate(t.title.rstrip("。"), width)
    if not tv.metrics:
        return [[t.ref, title, "", "", "", "", style_status(tv.status, lang, colour), ""]]
    rows = []
    multi = len(tv.metrics) > 1
    if multi:
        rows.append([t.ref, title, "", "", "", "", style_status(tv.status, lang, colour), ""])
    for mv in tv.metrics:
        m = mv.metric
        label = truncate("  ↳ " + m.name, width) if multi else title
        pct, pace, progress_bar = progress_cells(mv)
        rows.append(["" if multi else t.ref, label, m.target_text, fmt_value(mv.actual, m.unit), pct, pace,
                     style_status(mv.status, lang, colour), progress_bar])  # fmt: skip
    return rows


def _cell_lines(value: Any, multiline: bool) -> list[str]:
    text = "" if value is None else str(value).strip()
    return text.splitlines() if multiline else [text]


def tabulate_rows(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain text table, every column left-aligned: the header, a rule of dashes under each
    column, the rows; columns two spaces apart, each at least two wider than its header. The
    layout of tabulate's "simple" format without numbers parsed (tests/test_render_table.py
    compares the two), without importing tabulate and wcwidth at start-up."""
    multiline = any("\n" in str(v) or "\r" in str(v) for row in [headers, *rows] for v in row if v is not None)
    cells = [[_cell_lines(v, multiline) for v in row] for row in rows]
    head = [str(h).splitlines() or [""] if multiline else [str(h)] for h in headers]
    widths = [max([text_width(line) + 2 for line in h] + [text_width(line) for row in cells for line in row[i]])
              for i, h in enumerate(head)]  # fmt: skip

    def lines_of(row: list[list[str]]) -> list[str]:
        height = max((len(c) for c in row), default=0)
        out = []
        for k in range(height):
            parts = [(c[k] if k < len(c) else "") for c in row]
            out.append("  ".join(p + " " * (w - text_width(p)) for p, w in zip(parts, widths, strict=True)).rstrip())
        return out

    text = lines_of(head) + ["  ".join("-" * w for w in widths)]
    for row in cells:
        text += lines_of(row)
    return "\n".join(text)


def status_columns(lang: str) -> list[str]:
    h = HEADERS[lang]
    return [h["id"], h["task"], h["target"], h["actual"], h["percent"], h["expected"], h["status"], h["bar"]]


def status_table(groups: Sequence[tuple[Area, Sequence[TaskVerdict]]], lang: str = "en", colour: bool = False) -> str:
    """One table per area with a summary line."""
    out = []
    for area, verdicts in groups:
        rows = [row for tv in verdicts for row in metric_rows(tv, lang, colour)]
        out += [f"{area.no} {clean(area.title)}", tabulate_rows(rows, status_columns(lang)), summary_line(verdicts, lang), ""]
    return "\n".join(out).rstrip("\n") + "\n"


FLAT_KEYS = ["id", "area", "task", "metric", "target", "actual", "percent", "expected", "status"]


def flat_rows(verdicts: Iterable[TaskVerdict], lang: str = "en") -> Iterator[dict[str, Any]]:
    """One plain row per metric (a task without numeric targets: one row) for csv and markdown."""
    w = words(lang)
    for tv in verdicts:
        t = tv.task
        base = {"id": t.ref, "area": t.area_no, "task": t.title}
        if not tv.metrics:
            yield {**base, "metric": "", "target": "", "actual": "", "percent": "", "expected": "", "status": w[tv.status]}
        for mv in tv.metrics:
            pct, pace, _ = progress_cells(mv)
            yield {**base, "metric": mv.metric.name, "target": mv.metric.target_text, "actual": fmt_value(mv.actual, mv.metric.unit),
                   "percent": pct, "expected": pace, "status": w[mv.status]}  # fmt: skip


def flat_headers(lang: str) -> list[str]:
    return [HEADERS[lang][k] for k in FLAT_KEYS]


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection: text starting = + - @ tab CR gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]], keys: Sequence[str], headers: Sequence[str] | None = None, bom: bool = True,
           header: bool = True, exact: bool = False) -> str:  # fmt: skip
    """Rows as csv text; ``header=False`` for a file written a batch at a time (``export``);
    ``exact`` keeps control characters inside the quoting (``export``: history moves intact)."""
    import csv  # only csv output needs it: not on a table's or JSON's start-up

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow(headers or keys)
    for r in rows:
        writer.writerow([safe_cell(clean(v) if isinstance(v, str) and not exact else v) for v in (r.get(k, "") for k in keys)])
    return ("\ufeff" if bom else "") + buf.getvalue()


def md_escape(text: object) -> str:
    return one_line(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def to_markdown(rows: Iterable[dict[str, Any]], keys: Sequence[str], headers: Sequence[str]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(md_escape(r.get(k, "")) for k in keys) + " |")
    return "\n".join(lines) + "\n"


def heading(year: int, as_of: str, lang: str) -> str:
    return f"{year} · as of {as_of}\n\n" if lang == "en" else f"{year}年 · 截至{as_of}\n\n"


def render_status(fmt: str, year: int, as_of_text: str, groups: Sequence[tuple[Area, Sequence[TaskVerdict]]],
                  lang: str = "en", colour: bool = False) -> str:  # fmt: skip
    verdicts = [tv for _, vs in groups for tv in vs]
    if fmt == "csv":
        return to_csv(flat_rows(verdicts, lang), FLAT_KEYS, flat_headers(lang))
    if fmt == "markdown":
        out = []
        for area, vs in groups:
            out += [f"## {area.no} {md_escape(area.title)}\n", to_markdown(flat_rows(vs, lang), FLAT_KEYS, flat_headers(lang))]
            out.append(summary_line(vs, lang) + "\n")
        return "\n".join(out)
    return heading(year, as_of_text, lang) + status_table(groups, lang, colour)


def render_areas(fmt: str, year: int, as_of_text: str, groups: Sequence[tuple[Area, Sequence[TaskVerdict]]], lang: str = "en") -> str:
    w, h = words(lang), HEADERS[lang]
    rows = [{"area": a.no, "title": a.title, "tasks": len(vs), **counts(vs)} for a, vs in groups]
    keys = ["area", "title", "tasks", *DISPLAY_ORDER]
    headers = [h["area"], h["title"], h["total"], *(w[s] for s in DISPLAY_ORDER)]
    if fmt == "csv":
        return to_csv(rows, keys, headers)
    if fmt == "markdown":
        return to_markdown(rows, keys, headers)
    return heading(year, as_of_text, lang) + tabulate_rows([[r[k] for k in keys] for r in rows], headers) + "\n"


LAG_KEYS = ["id", "task", "metric", "target", "actual", "percent", "expected", "gap", "shortfall", "per_quarter"]
LAG_TABLE_KEYS = [k for k in LAG_KEYS if k != "gap"]


def lagging_rows(items: Iterable[LagRow], lang: str) -> Iterator[dict[str, str]]:
    for r in items:
        tv, mv = r.task, r.metric
        m = mv.metric
        unit = "个百分点" if m.is_rate else m.unit
        short = fmt_amount(r.shortfall, unit)
        pct, pace, _ = progress_cells(mv)
        yield {
            "id": tv.task.ref, "task": tv.task.title, "metric": m.name, "target": m.target_text,
            "actual": fmt_value(mv.actual, m.unit), "percent": pct, "expected": pace,
            "gap": fmt_pct(mv.gap), "shortfall": short or "",
            "per_quarter": fmt_amount(r.per_quarter, m.unit), "status": words(lang)["lagging"],
        }  # fmt: skip
