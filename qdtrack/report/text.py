"""Text and rows shared by the report's formats (titles, headers, item and change rows)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import render
from ..i18n import _, format_date, format_quarter
from ..model import DISPLAY_ORDER, TaskVerdict, counts
from ..render_views import date_text
from .gather import MilestoneRow, Report

TEXT = {
    "en": {
        "title": "{year} government work report: progress",
        "meta": "Plan year {year} · as of {as_of} · generated {generated}",
        "summary": "Summary",
        "areas": "Progress by area",
        "lagging": "Behind the pace of the year",
        "no_lagging": "Nothing is behind pace.",
        "stale": "Listed items with no update for {q}",
        "no_stale": "Every listed item has an update for {q}.",
        "changes": "Changes since the last report",
        "changes_since": "Updates recorded since the report of {when}.",
        "first": "No earlier report run is recorded for {year}; the next report (with --output) lists what changes.",
        "no_changes": "No updates recorded since the report of {when}.",
        "count": "Count",
        "all": "All",
        "legend": "Bars: filled = % of target, dark mark = pace of the year.",
    },
    "zh": {
        "title": "{year}年政府工作报告重点任务进展",
        "meta": "{year}年度 · 截至{as_of} · 生成于{generated}",
        "summary": "总体情况",
        "areas": "分领域进展",
        "lagging": "欠进度的指标",
        "no_lagging": "没有欠进度的指标。",
        "stale": "{q}未更新的挂牌事项",
        "no_stale": "挂牌事项均已更新{q}进展。",
        "changes": "上次报告以来的变化",
        "changes_since": "自上次报告（{when}生成）以来记录的更新。",
        "first": "{year}年尚无报告记录；下次（使用 --output）生成报告时将列出变化。",
        "no_changes": "自上次报告（{when}生成）以来没有新的更新。",
        "count": "数量",
        "all": "合计",
        "legend": "进度条：填充部分为完成率，深色竖线为时序进度。",
    },
}


def t(lang: str, key: str, **kw: Any) -> str:
    if lang == "zh":  # dates and quarters as Chinese sentences write them
        kw = {k: _zh_when(v) if k in ("as_of", "when", "generated") else format_quarter(str(v)) if k == "q" else v for k, v in kw.items()}
    return TEXT[lang][key].format(**kw)


def _zh_when(value: Any) -> Any:
    """``2025-06-30`` → 2025年6月30日; a time ``2025-07-01T08:00:00+08:00`` → 2025年7月1日 08:00."""
    import datetime

    try:
        when = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return value
    day = format_date(when.date(), "zh")
    return day if len(str(value)) == 10 else f"{day} {when:%H:%M}"


def note_is_older(tv: TaskVerdict) -> bool:
    """The task's latest note is dated before a figure shown beside it."""
    if tv.note is None:
        return False
    return any(mv.figure is not None and mv.figure.as_of > tv.note.as_of for mv in tv.metrics)


def note_text(tv: TaskVerdict) -> str:
    """The latest note with its quarter (``[2025Q1] …``), marked when older than the figure beside it."""
    if tv.note is None:
        return ""
    older = " " + _("(older than the figure)") if note_is_older(tv) else ""
    return f"[{tv.note.quarter}]{older} {tv.note.text}"


def item_rows(verdicts: Iterable[TaskVerdict], lang: str) -> Iterator[dict[str, Any]]:
    """``render.flat_rows`` plus each task's latest note (on its first row)."""
    for tv in verdicts:
        for i, row in enumerate(render.flat_rows([tv], lang)):
            row["note"] = note_text(tv) if i == 0 else ""
            yield row


def is_empty(tv: TaskVerdict) -> bool:
    """A task with no numeric target, no milestone and no entry: counted, not listed row by row."""
    return not tv.task.metrics and not tv.task.milestones and tv.note is None and tv.status == "no_data"


def supervision(verdicts: list[TaskVerdict]) -> list[tuple[str, int, float]]:
    """(status, tasks, % of all tasks) for every status some task has, in display order."""
    c = counts(verdicts)
    total = max(1, len(verdicts))
    return [(s, c[s], c[s] / total * 100) for s in DISPLAY_ORDER if c[s]]


def supervision_lines(verdicts: list[TaskVerdict], lang: str) -> list[str]:
    """The supervision report's style: one line per status, e.g. 欠进度 17项，占总任务的7.7%."""
    w = render.words(lang)
    return [
        _("{status} {n} items, {percent}% of all tasks").format(status=w[s], n=n, percent=render.fmt_pct(p))
        for s, n, p in supervision(verdicts)
    ]


MILESTONE_KEYS = ["id", "task", "milestone", "due", "overdue"]


def milestone_rows(pairs: list[MilestoneRow], lang: str) -> list[dict[str, str]]:
    """Overdue or due-soon milestones: task, milestone, due date, days overdue."""
    return [
        {"id": tv.task.ref, "task": tv.task.title, "milestone": f"{mv.milestone.n}. {render.one_line(mv.milestone.text)}",
         "due": date_text(mv.milestone.due, lang), "overdue": str(mv.days_overdue or "")}
        for tv, mv in pairs
    ]  # fmt: skip


def milestone_headers(lang: str, keys: list[str] = MILESTONE_KEYS) -> list[str]:
    h = render.HEADERS[lang]
    return [h[k] for k in keys]


ITEM_KEYS = [*render.FLAT_KEYS, "note"]
AREA_KEYS = [k for k in ITEM_KEYS if k != "area"]


def item_headers(lang: str) -> list[str]:
    return [*render.flat_headers(lang), render.HEADERS[lang]["latest_note"]]


def lag_headers(lang: str) -> list[str]:
    h = render.HEADERS[lang]
    return [h[k] for k in render.LAG_KEYS]


CHANGE_KEYS = ["quarter", "id", "metric", "figure", "status", "note", "recorded", "by"]


def change_rows(rep: Report, lang: str) -> Iterator[dict[str, str]]:
    """The newest changes, newest first (``Report.more_changes`` counts the rest)."""
    w = render.words(lang)
    for u in rep.shown_changes:
        value, status, unit = u.value, u.status, u.unit
        yield {
            "quarter": u.quarter,
            "id": u.ref,
            "metric": u.metric_name or "",
            "figure": render.fmt_value(value, unit) if value is not None else "",
            "status": w[status] if status else "",
            "note": u.note or "",
            "recorded": (u.recorded_at or "")[:19],
            "by": u.recorded_by or "",
        }


def change_headers(lang: str) -> list[str]:
    h = render.HEADERS[lang]
    return [h["quarter"], h["id"], h["metric"], h["figure"], h["status"], h["note"], h["recorded"], h["by"]]


def more_changes(rep: Report) -> str:
    """"… and N earlier changes" when the section does not list them all, else ""."""
    if not rep.more_changes:
        return ""
    return _("… and {n} earlier changes, not listed here (qdtrack log lists them all).").format(n=rep.more_changes)


def prev_when(rep: Report) -> str:
    """When the previous recorded report run was made (to the second), or "" if there was none."""
    if rep.previous_run is None:
        return ""
    return str(rep.previous_run.generated_at or "")[:19]


def w_status(lang: str) -> str:
    return render.HEADERS[lang]["status"]
