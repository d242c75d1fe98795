"""Each metric quarter by quarter (the trend table and its small chart) and the year's closing account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import render
from ..i18n import _
from ..model import Figure, MetricVerdict, TaskVerdict
from ..periods import Quarter
from ..progress import expected_percent, judge_metric, percent_of
from .gather import QuarterFigure, Report

TREND_KEYS = ["id", "metric", "target", "q1", "q2", "q3", "q4"]
CLOSING_KEYS = ["id", "task", "metric", "target", "actual", "outcome"]
OUTCOMES = ("early", "met", "missed", "never")


def trend_headers(lang: str) -> list[str]:
    h = render.HEADERS[lang]
    quarters = ["一季度", "二季度", "三季度", "四季度"] if lang == "zh" else ["Q1", "Q2", "Q3", "Q4"]
    return [h["id"], h["metric"], h["target"], *quarters]


def _cell(mv: MetricVerdict, qf: QuarterFigure | None) -> str:
    if qf is None:
        return ""
    text = render.fmt_value(qf.actual, mv.metric.unit)
    pct = percent_of(mv.metric, qf.actual)
    return f"{text} ({render.fmt_pct(pct)}%)" if pct is not None else text


def trend_rows(rep: Report) -> list[dict[str, Any]]:
    """Every listed item's metrics, one row each: the figure in force at each ended quarter's end
    (and ``spark``, the small chart the HTML page draws)."""
    rows = []
    for tv in rep.listed:
        for mv in tv.metrics:
            by_q = {qf.quarter: qf for qf in rep.quarters.get(mv.metric.id, [])}
            row: dict[str, Any] = {"id": tv.task.ref, "metric": mv.metric.name, "target": mv.metric.target_text}
            row.update({f"q{q}": _cell(mv, by_q.get(q)) for q in range(1, 5)})
            row["spark"] = spark(rep, mv)
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Spark:
    """A small chart of % of target at each quarter end (0-120% tall) with the pace line dashed."""

    title: str
    line: str  # polyline points of the figures
    dots: tuple[tuple[str, str], ...]
    pace: str  # polyline points of the pace ("" where no pace applies)
    width: int = 96
    height: int = 28


def _xy(q: int, pct: float, width: int, height: int) -> tuple[str, str]:
    x = 6 + (q - 1) * (width - 12) / 3
    y = height - 2 - max(0.0, min(120.0, pct)) / 120 * (height - 4)
    return f"{x:.1f}", f"{y:.1f}"


def spark(rep: Report, mv: MetricVerdict, width: int = 96, height: int = 28) -> Spark | None:
    """The trend chart of one metric, or None for a rate or a metric with no quarter figure."""
    m = mv.metric
    if m.is_rate:
        return None
    points = []
    for qf in rep.quarters.get(m.id, []):
        pct = percent_of(m, qf.actual)
        if pct is not None:
            points.append(_xy(qf.quarter, pct, width, height))
    if not points:
        return None
    paces = [(q, expected_percent(m, Quarter(rep.year, q).end, rep.year)) for q in range(1, 5)]
    pace = " ".join(",".join(_xy(q, p, width, height)) for q, p in paces if p is not None)
    title = _("{metric}: % of target at each quarter end; dashed: the pace of the year").format(metric=m.name)
    return Spark(title, " ".join(",".join(p) for p in points), tuple(points), pace, width, height)


# -- the year's closing account (全年完成情况) -------------------------------------------


def _early(rep: Report, mv: MetricVerdict) -> bool:
    """The target was reached at the end of a quarter before the fourth."""
    for qf in rep.quarters.get(mv.metric.id, []):
        if qf.quarter < 4:
            fig = Figure(mv.metric.id, qf.actual, qf.as_of, f"{rep.year}Q{qf.quarter}", 0)
            if judge_metric(mv.metric, fig, Quarter(rep.year, qf.quarter).end, rep.year).status == "done":
                return True
    return False


def outcome(rep: Report, mv: MetricVerdict) -> str:
    """early (提前完成), met, missed or never (reported) for one target at year end."""
    if mv.figure is None:
        return "never"
    met = mv.status == "done" or ((mv.metric.is_rate or mv.metric.is_ceiling) and mv.status in ("on_track", "ahead"))
    if not met:
        return "missed"
    return "early" if mv.status == "done" and _early(rep, mv) else "met"


def outcome_words() -> dict[str, str]:
    return {"early": _("done early"), "met": _("met"), "missed": _("missed"), "never": _("never reported")}


def closing(rep: Report) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every numeric target's final figure against it, and how many targets had each outcome."""
    words = outcome_words()
    rows, tally = [], dict.fromkeys(OUTCOMES, 0)
    for tv in rep.verdicts:
        for mv in tv.metrics:
            o = outcome(rep, mv)
            tally[o] += 1
            rows.append(_closing_row(tv, mv, words[o]))
    return rows, tally


def _closing_row(tv: TaskVerdict, mv: MetricVerdict, word: str) -> dict[str, Any]:
    m = mv.metric
    return {"id": tv.task.ref, "task": tv.task.title, "metric": m.name, "target": m.target_text,
            "actual": render.fmt_value(mv.actual, m.unit), "outcome": word}  # fmt: skip


def closing_headers(lang: str) -> list[str]:
    h = render.HEADERS[lang]
    return [h["id"], h["task"], h["metric"], h["target"], h["actual"], _("Outcome")]


def closing_summary(tally: dict[str, int]) -> str:
    return _("{early} done early, {met} met, {missed} missed, {never} never reported").format(**tally)
