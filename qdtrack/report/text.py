"""Text and rows shared by the report's formats (titles, headers, item and change rows)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import render
from ..model import TaskVerdict
from .gather import Report

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
        "meta": "计划年度 {year} · 截至 {as_of} · 生成于 {generated}",
        "summary": "总体情况",
        "areas": "分领域进展",
        "lagging": "滞后于年度进度的指标",
        "no_lagging": "无滞后指标。",
        "stale": "{q}未更新的挂牌事项",
        "no_stale": "挂牌事项均已更新{q}进展。",
        "changes": "上次报告以来的变化",
        "changes_since": "{when}生成上次报告以来记录的更新。",
        "first": "{year}年尚无报告记录；下次（使用 --output）生成报告时将列出变化。",
        "no_changes": "{when}生成上次报告以来没有新的更新。",
        "count": "数量",
        "all": "合计",
        "legend": "进度条：填充为完成%，深色竖线为年度进度要求。",
    },
}


def t(lang: str, key: str, **kw: Any) -> str:
    return TEXT[lang][key].format(**kw)


def item_rows(verdicts: Iterable[TaskVerdict], lang: str) -> Iterator[dict[str, Any]]:
    """``render.flat_rows`` plus each task's latest note (on its first row)."""
    for tv in verdicts:
        for i, row in enumerate(render.flat_rows([tv], lang)):
            row["note"] = (f"[{tv.note.quarter}] {tv.note.text}" if tv.note else "") if i == 0 else ""
            yield row


ITEM_KEYS = [*render.FLAT_KEYS, "note"]
AREA_KEYS = [k for k in ITEM_KEYS if k != "area"]


def item_headers(lang: str) -> list[str]:
    return [*render.flat_headers(lang), render.HEADERS[lang]["latest_note"]]


def lag_headers(lang: str) -> list[str]:
    h = render.HEADERS[lang]
    return [h[k] for k in render.LAG_KEYS]


CHANGE_KEYS = ["quarter", "id", "metric", "figure", "status", "note", "recorded", "by"]


def change_rows(rep: Report, lang: str) -> Iterator[dict[str, str]]:
    w = render.words(lang)
    for u in rep.changes:
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


def prev_when(rep: Report) -> str:
    """When the previous recorded report run was made (to the second), or "" if there was none."""
    if rep.previous_run is None:
        return ""
    return str(rep.previous_run.generated_at or "")[:19]


def w_status(lang: str) -> str:
    return render.HEADERS[lang]["status"]
