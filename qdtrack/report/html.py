"""The report as one self-contained HTML page, rendered from the Jinja2 templates in ``templates/``.

The templates are package data and autoescape everything they print, so no
text from the ledger (a note, a title) can become markup. This module only
works out what the page shows: the bar geometry and the rows of each table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import render
from ..i18n import _, current_language
from ..model import DISPLAY_ORDER as STATUSES
from ..model import counts
from ..texts import STATUS_WORDS
from . import trend
from .gather import DUE_SOON_DAYS, Report
from .text import (
    CHANGE_KEYS,
    MILESTONE_KEYS,
    change_headers,
    change_rows,
    is_empty,
    lag_headers,
    milestone_headers,
    milestone_rows,
    more_changes,
    note_is_older,
    prev_when,
    supervision_lines,
    t,
)

if TYPE_CHECKING:
    import jinja2

    from ..model import MetricVerdict

COLOURS = {"done": "#2e7d32", "ahead": "#00838f", "on_track": "#1565c0", "lagging": "#c62828", "no_data": "#b08900", "not_judged": "#6a1b9a"}
TINTS = {"done": "#e8f5e9", "ahead": "#e0f7fa", "on_track": "#e3f2fd", "lagging": "#ffebee", "no_data": "#fff8e1", "not_judged": "#f3e5f5"}
ITEM_COLS = ("id", "task", "target", "num", "pct", "pct", "bar", "status", "note")
ITEM_HEADER_KEYS = ("id", "task", "target", "actual", "percent", "expected", "bar", "status", "latest_note")


@dataclass(frozen=True)
class Bar:
    """A bar filled to % of target (capped at 100) with the pace of the year marked; numbers as printed."""

    status: str
    title: str
    filled: str | None
    mark: str | None
    width: int = 120
    height: int = 14

    @property
    def inner(self) -> int:
        return self.height - 4


@dataclass(frozen=True)
class Segment:
    status: str
    x: str
    width: str


@dataclass(frozen=True)
class Stacked:
    """One stacked bar of a group's status counts, scaled to the largest area."""

    title: str
    segments: tuple[Segment, ...]
    width: int = 420
    height: int = 18


def progress_bar(percent: float | None, expected: float | None, status: str, width: int = 120) -> Bar:
    filled = mark = None
    label = []
    if percent is not None:
        filled = f"{max(0.0, min(100.0, percent)) / 100 * width:.1f}"
        label.append(f"{render.fmt_pct(percent)}%")  # rounded half up, as every table shows it
    if expected is not None:
        x = max(1.0, min(width - 1.0, max(0.0, min(100.0, expected)) / 100 * width))
        mark = f"{x - 1:.1f}"
        label.append(_("pace {percent}%").format(percent=render.fmt_pct(expected)))
    return Bar(status=status, title=" / ".join(label) or _("no figure"), filled=filled, mark=mark, width=width)


def metric_bar(mv: MetricVerdict) -> Bar:
    return progress_bar(mv.percent, mv.expected_percent, mv.status)


def stacked_bar(c: dict[str, int], total_max: int, width: int = 420) -> Stacked:
    x = 0.0
    scale = width / max(1, total_max)
    segments = []
    for s in STATUSES:
        if c[s]:
            segments.append(Segment(status=s, x=f"{x:.2f}", width=f"{c[s] * scale:.2f}"))
            x += c[s] * scale
    lang = current_language()  # the report's language (pick_lang activated it)
    title = ("，" if lang == "zh" else ", ").join(f"{STATUS_WORDS[lang][s]} {c[s]}" for s in STATUSES if c[s])
    return Stacked(title=title, segments=tuple(segments), width=width)


def _blank_none(value: Any) -> Any:
    """Every printed value: None as blank; plain text without control characters (escape
    sequences, bells, C1, CR, line separators) — the page's own markup is left as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return render.clean(value)
    return value


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment: package data, autoescape always on, undefined names an error."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("qdtrack.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_blank_none,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests["empty"] = is_empty
    return env


def _num_index(keys: list[str], num_keys: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(i for i, k in enumerate(keys) if k in num_keys)


def _closing(rep: Report, lang: str) -> dict[str, Any] | None:
    if not rep.closing:
        return None
    rows, tally = trend.closing(rep)
    keys, headers = trend.CLOSING_KEYS, trend.closing_headers(lang)
    return {"rows": rows, "cols": keys, "headers": headers, "summary": trend.closing_summary(tally)}


def _lagging_context(rep: Report, lang: str) -> dict[str, Any]:
    """What the #lagging section shows besides the metrics: milestones, stale items, never reported."""
    h = render.HEADERS[lang]
    return {
        "overdue_rows": milestone_rows(rep.overdue, lang),
        "due_soon_rows": milestone_rows(rep.due_soon, lang),
        "milestone_keys": MILESTONE_KEYS,
        "milestone_headers": milestone_headers(lang),
        "due_soon_title": _("Milestones due within {days} days").format(days=DUE_SOON_DAYS),
        "no_due_soon": _("No milestone falls due within {days} days.").format(days=DUE_SOON_DAYS),
        "stale_rows": [{"id": tv.task.ref, "task": tv.task.title} for tv in rep.stale],
        "stale_headers": [h["id"], h["task"]],
        "never_reported": ", ".join(f"{tv.task.ref} {mv.metric.name}" for tv, mv in rep.never_reported),
    }


def _context(rep: Report, lang: str) -> dict[str, Any]:
    h = render.HEADERS[lang]
    biggest = max((len(vs) for _a, vs in rep.groups), default=1)
    return {
        **_lagging_context(rep, lang),
        "rep": rep,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "title": t(lang, "title", year=rep.year),
        "as_of": rep.as_of.isoformat(),
        "statuses": STATUSES,
        "colours": COLOURS,
        "tints": TINTS,
        "words": render.words(lang),
        "totals": counts(rep.verdicts),
        "chart": [{"area": a, "bar": stacked_bar(counts(vs), biggest), "total": len(vs)} for a, vs in rep.groups],
        "item_headers": [h[k] for k in ITEM_HEADER_KEYS],
        "item_cols": ITEM_COLS,
        "lag_rows": list(render.lagging_rows(rep.lagging, lang)) if rep.lagging else [],
        "lag_keys": render.LAG_KEYS,
        "lag_headers": lag_headers(lang),
        "change_rows": list(change_rows(rep, lang)),
        "more_changes": more_changes(rep),
        "supervision": supervision_lines(rep.verdicts, lang),
        "total_line": _("{n} tasks in all:").format(n=len(rep.verdicts)),
        "closing": _closing(rep, lang),
        "trend_rows": trend.trend_rows(rep),
        "trend_headers": [*trend.trend_headers(lang), _("Trend")],
        "older_word": _("older than the figure"),
        "change_keys": CHANGE_KEYS,
        "change_headers": change_headers(lang),
        "previous_when": prev_when(rep),
        # helpers the templates call
        "t": functools.partial(t, lang),
        "summary_line": functools.partial(_summary_line, lang=lang),
        "fmt_value": render.fmt_value,
        "fmt_pct": render.fmt_pct,
        "bar": metric_bar,
        "num_index": _num_index,
        "older": note_is_older,
        "progress_cell": lambda mv: render.progress_cells(mv)[0],
        "empty_summary": lambda n: _("{n} tasks with no numeric target and no entry yet").format(n=n),
        "_": _,
    }


def _summary_line(verdicts: list[Any], lang: str) -> str:
    return str(render.summary_line(verdicts, lang))


def to_html(rep: Report, lang: str) -> str:
    return environment().get_template("report.html").render(_context(rep, lang))
