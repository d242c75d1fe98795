"""The report as Markdown."""

from __future__ import annotations

from .. import render
from ..model import DISPLAY_ORDER as STATUSES
from ..model import counts
from .gather import Report
from .text import (
    AREA_KEYS,
    CHANGE_KEYS,
    ITEM_KEYS,
    change_headers,
    change_rows,
    item_headers,
    item_rows,
    lag_headers,
    prev_when,
    w_status,
)
from .text import t as _t


def to_markdown(rep: Report, lang: str) -> str:
    w = render.words(lang)
    esc = render.md_escape
    out = [f"# {_t(lang, 'title', year=rep.year)}", ""]
    out.append(_t(lang, "meta", year=rep.year, as_of=rep.as_of.isoformat(), generated=rep.generated_at))
    out += ["", f"## {_t(lang, 'summary')}", ""]
    c = counts(rep.verdicts)
    out.append(
        render.to_markdown([{"s": w[s], "n": c[s]} for s in STATUSES], ["s", "n"], [w_status(lang), _t(lang, "count")])
    )
    out += [f"## {_t(lang, 'areas')}", ""]
    for area, vs in rep.groups:
        out.append(f"### {area.no} {esc(area.title)}")
        out.append("")
        headers = [h for k, h in zip(ITEM_KEYS, item_headers(lang), strict=True) if k != "area"]
        out.append(render.to_markdown(item_rows(vs, lang), AREA_KEYS, headers))
        out.append(render.summary_line(vs, lang))
        out.append("")
    out += [f"## {_t(lang, 'lagging')}", ""]
    if rep.lagging:
        out.append(render.to_markdown(render.lagging_rows(rep.lagging, lang), render.LAG_KEYS, lag_headers(lang)))
    else:
        out += [_t(lang, "no_lagging"), ""]
    out += [f"## {_t(lang, 'stale', q=rep.quarter)}", ""]
    if rep.stale:
        h = render.HEADERS[lang]
        rows = [{"id": tv.task.ref, "task": tv.task.title} for tv in rep.stale]
        out.append(render.to_markdown(rows, ["id", "task"], [h["id"], h["task"]]))
    else:
        out += [_t(lang, "no_stale", q=rep.quarter), ""]
    out += [f"## {_t(lang, 'changes')}", ""]
    if rep.previous_run is None:
        out += [_t(lang, "first", year=rep.year), ""]
    elif not rep.changes:
        out += [_t(lang, "no_changes", when=prev_when(rep)), ""]
    else:
        out += [_t(lang, "changes_since", when=prev_when(rep)), ""]
        out.append(render.to_markdown(change_rows(rep, lang), CHANGE_KEYS, change_headers(lang)))
    return "\n".join(out).rstrip("\n") + "\n"
