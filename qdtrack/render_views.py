"""Render the views of ``views.py`` and ``actions.py``: lagging, show, the update line, log, and their JSON."""

from __future__ import annotations

import datetime
from typing import Any

from .i18n import format_quarter
from .model import Entry, PlanChange, TaskVerdict
from .periods import zh_date
from .render import (
    HEADERS,
    LAG_KEYS,
    LAG_TABLE_KEYS,
    clean,
    fmt_pct,
    fmt_points,
    fmt_value,
    lagging_rows,
    one_line,
    render_areas,
    render_status,
    style_status,
    tabulate_rows,
    to_csv,
    to_markdown,
    truncate,
    words,
)
from .render_json import areas_json, lagging_json, log_json, show_json, status_json
from .texts import MILESTONE_WORDS, plan_field, plan_value
from .views import LaggingView, StatusView, TaskView


def date_text(d: datetime.date, lang: str) -> str:
    return zh_date(d) if lang == "zh" else d.isoformat()


def status_view(fmt: str, v: StatusView, lang: str, colour: bool) -> str:
    if fmt == "json":
        return status_json(v)
    return render_status(fmt, v.year, date_text(v.as_of, lang), v.groups, lang, colour)


def areas_view(fmt: str, v: StatusView, lang: str) -> str:
    if fmt == "json":
        return areas_json(v)
    return render_areas(fmt, v.year, date_text(v.as_of, lang), v.groups, lang)


def _milestone_rows(pairs: list[Any], lang: str) -> list[list[str]]:
    return [[tv.task.ref, truncate(tv.task.title, 24), f"{mv.milestone.n}. {one_line(mv.milestone.text)}",
             date_text(mv.milestone.due, lang), str(mv.days_overdue or "")] for tv, mv in pairs]  # fmt: skip


def lagging_view(fmt: str, v: LaggingView, lang: str) -> str:
    if fmt == "json":
        return lagging_json(v)
    h = HEADERS[lang]
    rows = list(lagging_rows(v.items, lang))
    if fmt == "csv":
        return to_csv(rows, LAG_KEYS, [h[k] for k in LAG_KEYS])
    zh = lang == "zh"
    stale_ids = ", ".join(tv.task.ref for tv in v.stale)
    q = format_quarter(str(v.stale_quarter or ""), lang)
    if fmt == "markdown":
        out = [to_markdown(rows, LAG_KEYS, [h[k] for k in LAG_KEYS])]
        if v.stale:
            out.append((f"\n{q}未更新的挂牌事项：" if zh else f"\nListed items with no entry for {q}: ") + stale_ids + "\n")
        return "\n".join(out)
    out = [f"欠进度的指标（截至{date_text(v.as_of, lang)}）" if zh else f"Behind the pace of the year, as of {v.as_of.isoformat()}"]
    if rows:
        out.append(tabulate_rows([[truncate(r[k].rstrip("。"), 24) if k == "task" else r[k] for k in LAG_TABLE_KEYS] for r in rows], [h[k] for k in LAG_TABLE_KEYS]))
    else:
        out.append("无欠进度指标" if zh else "nothing is behind pace")
    if v.overdue:
        out += ["", "逾期未完成的时间节点" if zh else "Milestones overdue"]
        out.append(tabulate_rows(_milestone_rows(v.overdue, lang), [h["id"], h["task"], h["milestone"], h["due"], h["overdue"]]))
    if v.due_soon:
        out += ["", "即将到期的时间节点" if zh else "Milestones due soon"]
        out.append(tabulate_rows([r[:4] for r in _milestone_rows(v.due_soon, lang)], [h["id"], h["task"], h["milestone"], h["due"]]))
    if v.stale_quarter is not None:
        label = f"{q}未更新的挂牌事项：" if zh else f"Listed items with no entry for {q}: "
        out += ["", label + (str(len(v.stale)) if v.stale else ("无" if zh else "none"))]
        if v.stale:
            out.append(stale_ids)
    if v.never_reported:
        out += ["", ("全年未填报的指标：" if zh else "Never reported this year: ") + str(len(v.never_reported))]
        out.append(", ".join(f"{tv.task.ref} {mv.metric.name}" for tv, mv in v.never_reported))
    return "\n".join(out) + "\n"


def _metric_line(mv: Any, lang: str) -> str:
    m = mv.metric
    got = fmt_value(mv.actual, m.unit) if mv.actual is not None else "—"
    zh = lang == "zh"
    if m.is_rate and mv.points_vs_target is not None:
        extra = f"（{fmt_points(mv.points_vs_target)}个百分点）" if zh else f" ({fmt_points(mv.points_vs_target)} pts)"
    elif mv.percent is not None and zh:
        pace = f"，时序进度{fmt_pct(mv.expected_percent)}%" if mv.expected_percent is not None else ""
        extra = f"（完成{fmt_pct(mv.percent)}%{pace}）"
    elif mv.percent is not None:
        extra = f" ({fmt_pct(mv.percent)}%" + (f" / {fmt_pct(mv.expected_percent)}%" if mv.expected_percent is not None else "") + ")"
    else:
        extra = ""
    joiner = "，目标" if lang == "zh" else " of "
    return f"{m.name} {got}{joiner}{m.target_text}{extra}"


def status_line(tv: Any, as_of: datetime.date, lang: str = "en", colour: bool = False) -> str:
    """One line: ID, title, each metric's figure against its target, status."""
    t = tv.task
    zh = lang == "zh"
    body = ("；" if zh else "; ").join(_metric_line(mv, lang) for mv in tv.metrics)
    tail = f"（截至{date_text(as_of, lang)}）" if zh else f" (as of {as_of.isoformat()})"
    return f"{t.ref} {one_line(t.title).rstrip('。')}{'：' if zh else ': '}{body + ' — ' if body else ''}" + style_status(tv.status, lang, colour) + tail


def recorded_line(quarter: str, as_of: datetime.date, entry_id: int, lang: str) -> str:
    if lang == "zh":
        return f"已记录 #{entry_id}：{format_quarter(quarter, lang)}，截至{date_text(as_of, lang)}"
    return f"recorded #{entry_id} for {quarter}, as of {as_of.isoformat()}"


def _entry_what(e: Entry, lang: str) -> str:
    what = []
    if e.metric_id is not None:
        what.append(f"{e.metric_name} {fmt_value(e.value, e.unit)}")
    if e.status:
        what.append(words(lang)[e.status])
    if e.correction:
        what.append("更正" if lang == "zh" else "correction")
    if e.voided:
        what.append(f"已撤回（{e.voided_by}：{one_line(e.void_reason)}）" if lang == "zh" else f"withdrawn by {e.voided_by}: {one_line(e.void_reason)}")
    return ", ".join(what)


def _judged_lines(tv: TaskVerdict, as_of: datetime.date, lang: str) -> list[str]:
    """Where a metric's pace is taken at another date than the view's (README: which pace a figure is held to)."""
    out = []
    for m in tv.metrics:
        if m.expected_percent is None or m.judged_at == as_of:
            continue
        when = date_text(m.judged_at, lang)
        zh = lang == "zh"
        out.append(f"  {m.metric.name}：时序进度按{when}计" if zh else f"  {m.metric.name}: pace taken at {when}")
    return out


def show_view(fmt: str, v: TaskView, lang: str, colour: bool) -> str:
    tv, t = v.verdict, v.verdict.task
    if fmt == "json":
        return show_json(v)
    zh, h = lang == "zh", HEADERS[lang]
    lines = [f"{t.ref}  {one_line(t.title)}"]
    if t.bullet and t.listed_no is not None:
        lines.append(("报告原文" if zh else "Report bullet") + f" {t.bullet}{'：' if zh else ': '}{one_line(t.text)}")
    if t.parts:
        lines.append(("分解为挂牌事项：" if zh else "Tracked through listed items: ") + ("、" if zh else ", ").join(t.parts))
    if v.parent:
        lines.append(("出自报告" if zh else "Part of bullet") + f" {v.parent.bullet}{'：' if zh else ': '}{one_line(v.parent.text)}")
    lines.append(("领域" if zh else "Area") + f" {t.area_no} {clean(t.area_title)}" + (f" · {clean(t.section_title)}" if t.section_title else ""))
    lines += [("状态：" if zh else "Status: ") + f"{style_status(tv.status, lang, colour)}" + (f"（截至{date_text(v.as_of, lang)}）" if zh else f" (as of {v.as_of.isoformat()})"), ""]
    if tv.metrics:
        rows = [[m.metric.pos, m.metric.name, m.metric.target_text, fmt_value(m.actual, m.metric.unit),
                 fmt_points(m.points_vs_target) if m.metric.is_rate else fmt_pct(m.percent), fmt_pct(m.expected_percent),
                 style_status(m.status, lang, colour), "" if m.metric.baseline is None else fmt_value(m.metric.baseline, m.metric.unit)]
                for m in tv.metrics]  # fmt: skip
        lines.append(tabulate_rows(rows, ["#", h["metric"], h["target"], h["actual"], h["percent"], h["expected"], h["status"], "年初基数" if zh else "Baseline"]))
        lines += _judged_lines(tv, v.as_of, lang)
    else:
        lines.append("无量化目标。" if zh else "No numeric target.")
    if tv.milestones:
        mw = MILESTONE_WORDS[lang]
        lines += ["", "时间节点" if zh else "Milestones"]
        lines += [f"  {mv.milestone.n}. {date_text(mv.milestone.due, lang)} {one_line(mv.milestone.text)} — {mw[mv.status]}"
                  + (f" ({date_text(mv.milestone.done_on, lang)})" if mv.milestone.done_on else "") for mv in tv.milestones]  # fmt: skip
    shown = f"{len(v.history)}/{v.total_entries}" if len(v.history) < v.total_entries else str(v.total_entries)
    lines += ["", f"填报记录（{shown}条）" if zh else f"Entries ({shown})"]
    for e in v.history:
        what = _entry_what(e, lang)
        lines.append(f"- #{e.id} · {format_quarter(e.quarter, lang)} · {date_text(e.as_of, lang)} · {one_line(e.recorded_by)}" + (("：" if zh else ": ") + what if what else ""))
        if e.note:
            lines += ["    " + clean(p) for p in e.note.splitlines()]
    return "\n".join(lines) + "\n"


def _change_value(field: str, text: str | None) -> str:
    """A plan change's old or new value; a baseline (stored as a number) as people write it: 1万, not 10000.0."""
    if not text:
        return "—"
    if field == "baseline":
        try:
            return fmt_value(float(text), None)
        except ValueError:
            return text
    return text


def log_view(fmt: str, entries: list[Entry], changes: list[PlanChange], lang: str) -> str:
    if fmt == "json":
        return log_json(entries, changes)
    zh, h = lang == "zh", HEADERS[lang]
    body = []
    for e in entries:
        what = _entry_what(e, lang)
        if e.note:
            what = (what + ("；" if zh else "; ") if what else "") + truncate(e.note, 30)
        body.append([e.id, e.recorded_at, truncate(e.recorded_by, 16), e.ref, e.quarter, what, truncate(e.source, 40)])
    for c in changes:
        old, new = (plan_value(c.field, _change_value(c.field, x), lang) for x in (c.old, c.new))
        what = f"{plan_field(c.field, lang)}{'：' if zh else ': '}{old} → {new}" + ((f"（{c.metric}）" if zh else f" ({c.metric})") if c.metric else "")
        body.append(["", c.recorded_at, truncate(c.recorded_by, 16), c.item or "", "", truncate(what, 60), truncate(c.source, 40)])
    if not body:
        return ("没有记录。" if zh else "No changes recorded.") + "\n"
    body.sort(key=lambda r: str(r[1]), reverse=True)
    return tabulate_rows(body, [h["entry"], h["recorded"], h["by"], h["id"], h["quarter"], h["change"], h["source"]]) + "\n"


__all__ = ["status_view", "areas_view", "lagging_view", "show_view", "status_line", "recorded_line", "log_view"]
