"""The report as Markdown, in the order leaders read it: counts, what is behind, what changed, the listed items, the areas."""

from __future__ import annotations

from .. import render
from ..i18n import _
from ..model import DISPLAY_ORDER as STATUSES
from ..model import counts
from . import trend
from .gather import DUE_SOON_DAYS, Report
from .text import (
    AREA_KEYS,
    CHANGE_KEYS,
    ITEM_KEYS,
    MILESTONE_KEYS,
    change_headers,
    change_rows,
    is_empty,
    item_headers,
    item_rows,
    lag_headers,
    milestone_headers,
    milestone_rows,
    more_changes,
    prev_when,
    supervision_lines,
    w_status,
)
from .text import t as _t


def to_markdown(rep: Report, lang: str) -> str:
    out = [f"# {_t(lang, 'title', year=rep.year)}", ""]
    meta = _t(lang, "meta", year=rep.year, as_of=rep.as_of.isoformat(), generated=rep.generated_at)
    out.append(f"{meta} · {rep.history_pin}" if rep.history_pin else meta)
    out += _summary(rep, lang)
    if rep.closing:
        out += _closing(rep, lang)
    out += _lagging(rep, lang)
    out += _changes(rep, lang)
    out += [f"## {_('Listed items')}", ""]
    out.append(render.to_markdown(item_rows(rep.listed, lang), ITEM_KEYS, item_headers(lang)))
    rows = trend.trend_rows(rep)
    if rows:
        out += [f"## {_('Quarter by quarter')}", ""]
        out.append(render.to_markdown(rows, trend.TREND_KEYS, trend.trend_headers(lang)))
    out += _areas(rep, lang)
    return "\n".join(out).rstrip("\n") + "\n"


def _summary(rep: Report, lang: str) -> list[str]:
    w = render.words(lang)
    out = ["", f"## {_t(lang, 'summary')}", ""]
    c = counts(rep.verdicts)
    out.append(render.to_markdown([{"s": w[s], "n": c[s]} for s in STATUSES], ["s", "n"], [w_status(lang), _t(lang, "count")]))
    out.append(_("{n} tasks in all:").format(n=len(rep.verdicts)))
    out.append("")
    out += [f"- {line}" for line in supervision_lines(rep.verdicts, lang)]
    return [*out, ""]


def _closing(rep: Report, lang: str) -> list[str]:
    rows, tally = trend.closing(rep)
    out = [f"## {_('The year in full')}", "", trend.closing_summary(tally), ""]
    out.append(render.to_markdown(rows, trend.CLOSING_KEYS, trend.closing_headers(lang)))
    return out


def _lagging(rep: Report, lang: str) -> list[str]:
    out = [f"## {_t(lang, 'lagging')}", ""]
    if rep.lagging:
        out.append(render.to_markdown(render.lagging_rows(rep.lagging, lang), render.LAG_KEYS, lag_headers(lang)))
    else:
        out += [_t(lang, "no_lagging"), ""]
    out += [f"### {_('Milestones overdue')}", ""]
    if rep.overdue:
        out.append(render.to_markdown(milestone_rows(rep.overdue, lang), MILESTONE_KEYS, milestone_headers(lang)))
    else:
        out += [_("No milestone is overdue."), ""]
    out += [f"### {_('Milestones due within {days} days').format(days=DUE_SOON_DAYS)}", ""]
    if rep.due_soon:
        keys = MILESTONE_KEYS[:4]
        out.append(render.to_markdown(milestone_rows(rep.due_soon, lang), keys, milestone_headers(lang, keys)))
    else:
        out += [_("No milestone falls due within {days} days.").format(days=DUE_SOON_DAYS), ""]
    out += [f"### {_t(lang, 'stale', q=rep.quarter)}", ""]
    if rep.stale:
        h = render.HEADERS[lang]
        rows = [{"id": tv.task.ref, "task": tv.task.title} for tv in rep.stale]
        out.append(render.to_markdown(rows, ["id", "task"], [h["id"], h["task"]]))
    else:
        out += [_t(lang, "no_stale", q=rep.quarter), ""]
    if rep.never_reported:
        out += [f"### {_('Never reported this year')}", ""]
        out += [", ".join(f"{tv.task.ref} {mv.metric.name}" for tv, mv in rep.never_reported), ""]
    return out


def _changes(rep: Report, lang: str) -> list[str]:
    out = [f"## {_t(lang, 'changes')}", ""]
    if rep.previous_run is None:
        return [*out, _t(lang, "first", year=rep.year), ""]
    if not rep.changes.count:
        return [*out, _t(lang, "no_changes", when=prev_when(rep)), ""]
    out += [_t(lang, "changes_since", when=prev_when(rep)), ""]
    out.append(render.to_markdown(change_rows(rep, lang), CHANGE_KEYS, change_headers(lang)))
    if rep.more_changes:
        out += [more_changes(rep), ""]
    return out


def _areas(rep: Report, lang: str) -> list[str]:
    esc = render.md_escape
    out = [f"## {_t(lang, 'areas')}", ""]
    headers = [h for k, h in zip(ITEM_KEYS, item_headers(lang), strict=True) if k != "area"]
    for area, vs in rep.groups:
        out += [f"### {area.no} {esc(area.title)}", ""]
        shown = [tv for tv in vs if not is_empty(tv)]
        empty = [tv for tv in vs if is_empty(tv)]
        if shown:
            out.append(render.to_markdown(item_rows(shown, lang), AREA_KEYS, headers))
        if empty:
            ids = [tv.task.ref for tv in empty]  # after a full-width colon no space, and 、 between Chinese list items
            out.append(_empty_line(len(empty)) + ("、".join(ids) if lang == "zh" else " " + ", ".join(ids)))
            out.append("")
        out += [render.summary_line(vs, lang), ""]
    return out


def _empty_line(n: int) -> str:
    return _("{n} tasks with no numeric target and no entry yet:").format(n=n)
