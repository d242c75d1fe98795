"""The progress report: gather it from the ledger, render it, write it safely.

``build`` reads the ledger (through ``Ledger`` methods only: no SQL here) and
returns a ``Report``; ``render_report`` turns it into markdown, html, json,
csv or xlsx; ``write_output`` writes a file atomically under an exclusive lock.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import io
import os
import pathlib
from dataclasses import dataclass, field

from . import render
from .errors import BadInput, EnvironmentFault
from .files import fsync_folder
from .periods import quarter_of
from .progress import STATUSES, counts, judge_all, lagging, stale

REPORT_FORMATS = ("markdown", "html", "json", "csv", "xlsx")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
EXTENSIONS.update({".json": "json", ".csv": "csv", ".xlsx": "xlsx"})


@dataclass
class Report:
    year: int
    as_of: datetime.date
    generated_at: str
    groups: list  # [(area dict, [TaskVerdict])]
    lagging: list  # progress.lagging rows
    stale: list  # [TaskVerdict]
    changes: list  # update rows (Ledger.updates_since) since the previous report run
    previous_run: dict | None
    last_update_id: int
    names: dict = field(default_factory=dict)  # metric id -> metric dict, for the changes

    @property
    def verdicts(self):
        return [tv for _, vs in self.groups for tv in vs]

    @property
    def quarter(self) -> str:
        return str(quarter_of(self.as_of))

    @property
    def any_lagging(self) -> bool:
        return any(tv.status == "lagging" for tv in self.verdicts) or bool(self.lagging)


def build(ledger, year: int, as_of: datetime.date, tolerance: float = 0.0) -> Report:
    """Everything the report shows, read from the ledger in one go."""
    from .ledger import now_iso

    # read the high-water mark first: an update landing while we read is then
    # shown again by the next report rather than never
    last_id = ledger.last_update_id()
    previous = ledger.last_report_run(year)
    tasks = ledger.plan(year)
    shown = [t for t in tasks if not t["covered_by_parts"]]
    verdicts = judge_all(shown, as_of, year, tolerance)
    by_area = {}
    for tv in verdicts:
        by_area.setdefault(tv.task["area_no"], []).append(tv)
    groups = [(a, by_area.get(a["no"], [])) for a in ledger.areas(year)]
    changes = []
    if previous is not None:
        changes = [u for u in ledger.updates_since(year, previous["last_update_id"]) if u["id"] <= last_id]
    names = {m["id"]: m for t in tasks for m in t["metrics"]}
    return Report(
        year=year,
        as_of=as_of,
        generated_at=now_iso(),
        groups=groups,
        lagging=lagging(verdicts, as_of, year),
        stale=stale(verdicts, as_of),
        changes=changes,
        previous_run=previous,
        last_update_id=last_id,
        names=names,
    )


# -- text shared by the formats ---------------------------------------------------

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


def _t(lang, key, **kw):
    return TEXT[lang][key].format(**kw)


def item_rows(verdicts, lang):
    """``render.flat_rows`` plus each task's latest note (on its first row)."""
    for tv in verdicts:
        for i, row in enumerate(render.flat_rows([tv], lang)):
            row["note"] = (tv.note or "") if i == 0 else ""
            yield row


ITEM_KEYS = [*render.FLAT_KEYS, "note"]
AREA_KEYS = [k for k in ITEM_KEYS if k != "area"]


def item_headers(lang):
    return [*render.flat_headers(lang), render.HEADERS[lang]["latest_note"]]


def lag_headers(lang):
    h = render.HEADERS[lang]
    return [h[k] for k in render.LAG_KEYS]


CHANGE_KEYS = ["quarter", "id", "metric", "figure", "status", "note", "recorded", "by"]


def change_rows(rep: Report, lang):
    w = render.words(lang)
    for u in rep.changes:
        m = rep.names.get(u["metric_id"])
        yield {
            "quarter": u["quarter"],
            "id": u["ref"],
            "metric": u["metric_name"] or "",
            "figure": render.fmt_value(u["value"], m["unit"] if m else u["unit"]) if u["value"] is not None else "",
            "status": w[u["status"]] if u["status"] else "",
            "note": u["note"] or "",
            "recorded": (u["recorded_at"] or "")[:19],
            "by": u["recorded_by"] or "",
        }


def change_headers(lang):
    h = render.HEADERS[lang]
    return [h["quarter"], h["id"], h["metric"], h["figure"], h["status"], h["note"], h["recorded"], h["by"]]


def _prev_when(rep: Report) -> str:
    return (rep.previous_run or {}).get("generated_at", "")[:19]


# -- markdown ------------------------------------------------------------------------


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
        out.append(f"### {area['no']} {esc(area['title'])}")
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
        rows = [{"id": tv.task["ref"], "task": tv.task["title"]} for tv in rep.stale]
        out.append(render.to_markdown(rows, ["id", "task"], [h["id"], h["task"]]))
    else:
        out += [_t(lang, "no_stale", q=rep.quarter), ""]
    out += [f"## {_t(lang, 'changes')}", ""]
    if rep.previous_run is None:
        out += [_t(lang, "first", year=rep.year), ""]
    elif not rep.changes:
        out += [_t(lang, "no_changes", when=_prev_when(rep)), ""]
    else:
        out += [_t(lang, "changes_since", when=_prev_when(rep)), ""]
        out.append(render.to_markdown(change_rows(rep, lang), CHANGE_KEYS, change_headers(lang)))
    return "\n".join(out).rstrip("\n") + "\n"


def w_status(lang):
    return render.HEADERS[lang]["status"]


# -- json -----------------------------------------------------------------------------


def to_json_obj(rep: Report) -> dict:
    verdicts = rep.verdicts
    obj = render.status_json(rep.year, rep.as_of, verdicts)
    lag = render.lagging_json(rep.year, rep.as_of, rep.lagging, rep.stale)
    obj.update(
        {
            "generated_at": rep.generated_at,
            "counts": counts(verdicts),
            "areas": [{"area": a["no"], "title": a["title"], "tasks": len(vs), **counts(vs)} for a, vs in rep.groups],
            "notes": {tv.task["ref"]: {"quarter": tv.note_quarter, "note": tv.note} for tv in verdicts if tv.note},
            "lagging": lag["items"],
            "stale": lag["stale"],
            "changes_since_last_report": {
                "previous_report_at": rep.previous_run["generated_at"] if rep.previous_run else None,
                "since_update_id": rep.previous_run["last_update_id"] if rep.previous_run else None,
                "updates": [
                    {
                        "update_id": u["id"],
                        "id": u["ref"],
                        "quarter": u["quarter"],
                        "metric": u["metric_name"],
                        "value": u["value"],
                        "unit": u["unit"] if u["metric_id"] is not None else None,
                        "note": u["note"],
                        "status": u["status"],
                        "correction": bool(u["correction"]),
                        "recorded_at": u["recorded_at"],
                        "recorded_by": u["recorded_by"],
                    }
                    for u in rep.changes
                ],
            },
        }
    )
    return obj


# -- csv -------------------------------------------------------------------------------


def to_csv(rep: Report, lang: str) -> str:
    return render.to_csv(item_rows(rep.verdicts, lang), ITEM_KEYS, item_headers(lang))


# -- html ------------------------------------------------------------------------------

COLOURS = {"done": "#2e7d32", "ahead": "#00838f", "on_track": "#1565c0", "lagging": "#c62828", "no_data": "#b08900"}
TINTS = {"done": "#e8f5e9", "ahead": "#e0f7fa", "on_track": "#e3f2fd", "lagging": "#ffebee", "no_data": "#fff8e1"}

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1200px; padding: 24px 28px 48px; color: var(--ink);
  font: 14px/1.5 -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 24px 0 8px; }
.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { white-space: nowrap; font-weight: 600; }
td.task { min-width: 14em; }
td.metric { color: var(--muted); padding-left: 1.6em; }
td.note { color: var(--muted); font-size: 12.5px; max-width: 26em; overflow-wrap: anywhere; }
td.bar { width: 132px; }
td.target { white-space: nowrap; }
table.items { table-layout: fixed; }
table.items th { white-space: normal; }
col.c-id { width: 3.6em; } col.c-target { width: 7.6em; } col.c-num { width: 6.6em; } col.c-pct { width: 4.6em; }
col.c-bar { width: 132px; } col.c-status { width: 4.8em; } col.c-note { width: 25%; }
table.items td { overflow-wrap: anywhere; }
table.items td.target { white-space: normal; }
td.bar svg { display: block; }
tr.sub td { border-bottom-style: dotted; }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 12px; white-space: nowrap;
  border: 1px solid currentColor; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 14px; }
.chip { padding: 6px 12px; border-radius: 6px; font-size: 13px; }
.chip b { font-size: 20px; margin-right: 6px; }
table.chart td { border: 0; padding: 3px 6px; vertical-align: middle; }
table.chart td.label { width: 1%; white-space: nowrap; }
table.chart td.total { width: 3em; }
.legend { font-size: 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
.summary-line { font-size: 12.5px; color: var(--muted); }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5px; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, .chip, svg { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  td.note { max-width: none; }
}
"""


def e(x) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def badge(status, lang) -> str:
    c = COLOURS[status]
    return f'<span class="badge" style="color:{c};background:{TINTS[status]}">{e(render.words(lang)[status])}</span>'


def progress_svg(percent, expected, status, width=120, height=14) -> str:
    """A bar filled to % of target (capped at 100) with the pace of the year marked."""
    parts = [
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f'<rect x="0" y="2" width="{width}" height="{height - 4}" rx="2" fill="#eaeef2"/>',
    ]
    label = []
    if percent is not None:
        filled = max(0.0, min(100.0, percent)) / 100 * width
        parts.append(f'<rect x="0" y="2" width="{filled:.1f}" height="{height - 4}" rx="2" fill="{COLOURS[status]}"/>')
        label.append(f"{percent:.1f}%")
    if expected is not None:
        x = max(1.0, min(width - 1.0, max(0.0, min(100.0, expected)) / 100 * width))
        parts.append(f'<rect x="{x - 1:.1f}" y="0" width="2" height="{height}" fill="#1f2328"/>')
        label.append(f"pace {expected:.1f}%")
    parts.insert(1, f"<title>{e(' / '.join(label) or 'no figure')}</title>")
    parts.append("</svg>")
    return "".join(parts)


def stacked_svg(c: dict, total_max: int, width=420, height=18) -> str:
    """One stacked bar of a group's status counts, scaled to the largest area."""
    parts = [
        f'<svg width="100%" height="{height}" viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img">'
    ]
    x = 0.0
    scale = width / max(1, total_max)
    title = ", ".join(f"{s} {c[s]}" for s in STATUSES if c[s])
    parts.append(f"<title>{e(title)}</title>")
    for s in STATUSES:
        if not c[s]:
            continue
        wdt = c[s] * scale
        parts.append(f'<rect x="{x:.2f}" y="0" width="{wdt:.2f}" height="{height}" fill="{COLOURS[s]}"/>')
        x += wdt
    parts.append("</svg>")
    return "".join(parts)


def _table(headers, rows_html, num_cols=(), cls=None, cols=None) -> str:
    head = "".join(
        f'<th class="num">{e(h)}</th>' if i in num_cols else f"<th>{e(h)}</th>" for i, h in enumerate(headers)
    )
    attr = f' class="{cls}"' if cls else ""
    group = "<colgroup>" + "".join(f'<col class="c-{c}">' for c in cols) + "</colgroup>" if cols else ""
    return f"<table{attr}>{group}<thead><tr>{head}</tr></thead><tbody>{''.join(rows_html)}</tbody></table>"


def _area_table(vs, lang) -> str:
    h = render.HEADERS[lang]
    headers = [
        h["id"],
        h["task"],
        h["target"],
        h["actual"],
        h["percent"],
        h["expected"],
        h["bar"],
        h["status"],
        h["latest_note"],
    ]
    rows = []
    for tv in vs:
        t = tv.task
        note = e(tv.note or "")
        if tv.note_quarter and tv.note:
            note = f'<span class="muted">[{e(tv.note_quarter)}]</span> {note}'
        title = e(t["title"])
        n = len(tv.metrics)
        if n <= 1:
            mv = tv.metrics[0] if tv.metrics else None
            rows.append(
                "<tr>"
                f'<td class="id">{e(t["ref"])}</td><td class="task">{title}</td>'
                + _metric_cells(mv, tv.status, lang)
                + f'<td class="note">{note}</td></tr>'
            )
            continue
        rows.append(
            "<tr>"
            f'<td class="id" rowspan="{n + 1}">{e(t["ref"])}</td><td class="task">{title}</td>'
            f"<td></td><td></td><td></td><td></td><td></td><td>{badge(tv.status, lang)}</td>"
            f'<td class="note" rowspan="{n + 1}">{note}</td></tr>'
        )
        for mv in tv.metrics:
            rows.append(
                f'<tr class="sub"><td class="metric">↳ {e(mv.metric["name"])}</td>'
                + _metric_cells(mv, mv.status, lang)
                + "</tr>"
            )
    cols = ["id", "task", "target", "num", "pct", "pct", "bar", "status", "note"]
    return _table(headers, rows, num_cols=(3, 4, 5), cls="items", cols=cols)


def _metric_cells(mv, status, lang) -> str:
    if mv is None:
        return f"<td></td><td></td><td></td><td></td><td></td><td>{badge(status, lang)}</td>"
    m = mv.metric
    return (
        f'<td class="target">{e(m["target_text"])}</td>'
        f'<td class="num">{e(render.fmt_value(mv.actual, m["unit"]))}</td>'
        f'<td class="num">{e(render.fmt_pct(mv.percent))}</td>'
        f'<td class="num">{e(render.fmt_pct(mv.expected_percent))}</td>'
        f'<td class="bar">{progress_svg(mv.percent, mv.expected_percent, mv.status)}</td>'
        f"<td>{badge(mv.status, lang)}</td>"
    )


def _plain_table(rows, keys, headers, num_keys=()) -> str:
    body = []
    for r in rows:
        cells = "".join(
            f'<td class="num">{e(r.get(k, ""))}</td>' if k in num_keys else f"<td>{e(r.get(k, ''))}</td>" for k in keys
        )
        body.append(f"<tr>{cells}</tr>")
    return _table(headers, body, num_cols=tuple(i for i, k in enumerate(keys) if k in num_keys))


def to_html(rep: Report, lang: str) -> str:
    w = render.words(lang)
    h = render.HEADERS[lang]
    verdicts = rep.verdicts
    c = counts(verdicts)
    title = _t(lang, "title", year=rep.year)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} · {e(rep.as_of.isoformat())}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">{e(_t(lang, "meta", year=rep.year, as_of=rep.as_of.isoformat(), generated=rep.generated_at))}</p>',
        f"<h2>{e(_t(lang, 'summary'))}</h2>",
        '<div class="chips">',
    ]
    for s in STATUSES:
        out.append(f'<div class="chip" style="background:{TINTS[s]};color:{COLOURS[s]}"><b>{c[s]}</b>{e(w[s])}</div>')
    out.append("</div>")
    biggest = max((len(vs) for _, vs in rep.groups), default=1)
    chart = ['<table class="chart"><tbody>']
    for area, vs in rep.groups:
        ac = counts(vs)
        chart.append(
            f'<tr><td class="label">{e(area["no"])} {e(area["title"])}</td>'
            f"<td>{stacked_svg(ac, biggest)}</td>"
            f'<td class="num total">{len(vs)}</td></tr>'
        )
    chart.append("</tbody></table>")
    out += chart
    out.append('<div class="legend">')
    for s in STATUSES:
        out.append(f'<span><i style="background:{COLOURS[s]}"></i>{e(w[s])}</span>')
    out.append(f"<span>{e(_t(lang, 'legend'))}</span></div>")

    out.append(f"<h2>{e(_t(lang, 'areas'))}</h2>")
    for area, vs in rep.groups:
        out.append(f"<section><h3>{e(area['no'])} {e(area['title'])}</h3>")
        out.append(_area_table(vs, lang))
        out.append(f'<p class="summary-line">{e(render.summary_line(vs, lang))}</p></section>')

    out.append(f"<h2>{e(_t(lang, 'lagging'))}</h2>")
    if rep.lagging:
        rows = list(render.lagging_rows(rep.lagging, lang))
        out.append(
            _plain_table(rows, render.LAG_KEYS, lag_headers(lang), num_keys=("actual", "percent", "expected", "gap"))
        )
    else:
        out.append(f"<p>{e(_t(lang, 'no_lagging'))}</p>")

    out.append(f"<h2>{e(_t(lang, 'stale', q=rep.quarter))}</h2>")
    if rep.stale:
        rows = [{"id": tv.task["ref"], "task": tv.task["title"]} for tv in rep.stale]
        out.append(_plain_table(rows, ["id", "task"], [h["id"], h["task"]]))
    else:
        out.append(f"<p>{e(_t(lang, 'no_stale', q=rep.quarter))}</p>")

    out.append(f"<h2>{e(_t(lang, 'changes'))}</h2>")
    if rep.previous_run is None:
        out.append(f'<p class="muted">{e(_t(lang, "first", year=rep.year))}</p>')
    elif not rep.changes:
        out.append(f'<p class="muted">{e(_t(lang, "no_changes", when=_prev_when(rep)))}</p>')
    else:
        out.append(f'<p class="muted">{e(_t(lang, "changes_since", when=_prev_when(rep)))}</p>')
        out.append(_plain_table(list(change_rows(rep, lang)), CHANGE_KEYS, change_headers(lang), num_keys=("figure",)))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- xlsx ------------------------------------------------------------------------------

XLSX_FILLS = {"done": "C6EFCE", "ahead": "CCF2F4", "on_track": "DDEBF7", "lagging": "FFC7CE", "no_data": "FFEB9C"}
LEDGER_HEADERS = ["序号", "事项内容", "目标", "累计完成", "完成%", "进度要求%", "状态", "进展情况"]
LEDGER_WIDTHS = [8, 48, 16, 16, 9, 11, 9, 60]


def put(ws, row, col, value):
    """Write one cell; text is always text (never a formula, whatever it starts with)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = value.replace("\x00", "")
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def sheet_title(text: str, used: set) -> str:
    bad = "[]:*?/\\"
    name = "".join("_" if ch in bad else ch for ch in text).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def _header(ws, row, headers, widths=None):
    from openpyxl.styles import Alignment, Font, PatternFill

    for i, text in enumerate(headers, start=1):
        cell = put(ws, row, i, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if widths:
        from openpyxl.utils import get_column_letter

        for i, wdt in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = wdt


def _ledger_rows(ws, start, verdicts, lang):
    """The ledger layout, one row per metric; returns the next free row."""
    from openpyxl.styles import Alignment, PatternFill

    w = render.words(lang)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    r = start
    for tv in verdicts:
        t = tv.task
        metrics = tv.metrics or [None]
        for i, mv in enumerate(metrics):
            title = t["title"] if i == 0 else ""
            if mv is not None and len(tv.metrics) > 1:
                title = (title + "\n" if title else "") + "· " + mv.metric["name"]
            status = mv.status if mv is not None else tv.status
            ref = int(t["ref"]) if t["ref"].isdigit() else t["ref"]
            values = [
                ref,
                title,
                mv.metric["target_text"] if mv else "",
                render.fmt_value(mv.actual, mv.metric["unit"]) if mv else "",
                round(mv.percent, 1) if mv and mv.percent is not None else None,
                round(mv.expected_percent, 1) if mv and mv.expected_percent is not None else None,
                w[status],
                (tv.note or "") if i == 0 else "",
            ]
            for col, v in enumerate(values, start=1):
                cell = put(ws, r, col, v)
                cell.alignment = wrap if col in (2, 8) else top
                if col in (5, 6):
                    cell.number_format = "0.0"
            ws.cell(row=r, column=7).fill = PatternFill("solid", fgColor=XLSX_FILLS[status])
            r += 1
    return r


def to_xlsx(rep: Report, lang: str = "zh") -> bytes:
    """The ledger's own layout: a summary sheet, then one sheet per area. Headers are Chinese."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lang = "zh"  # the ledger's layout is Chinese
    w = render.words(lang)
    wb = Workbook()
    ws = wb.active
    used = set()
    ws.title = sheet_title("汇总", used)
    heads = ["领域", "名称", "事项数", *(w[s] for s in STATUSES)]
    _header(ws, 1, heads, [8, 48, 16, 16, 9, 11, 9, 60])
    for i, s in enumerate(STATUSES, start=4):
        ws.cell(row=1, column=i).fill = PatternFill("solid", fgColor=XLSX_FILLS[s])
    r = 2
    for area, vs in rep.groups:
        c = counts(vs)
        for col, v in enumerate([area["no"], area["title"], len(vs), *(c[s] for s in STATUSES)], start=1):
            put(ws, r, col, v).alignment = Alignment(wrap_text=col == 2, vertical="top")
        r += 1
    c = counts(rep.verdicts)
    for col, v in enumerate(["", "合计", len(rep.verdicts), *(c[s] for s in STATUSES)], start=1):
        put(ws, r, col, v).font = Font(bold=True)
    r += 2
    put(ws, r, 1, f"截至 {rep.as_of.isoformat()} · 生成于 {rep.generated_at}").font = Font(italic=True)
    r += 2
    put(ws, r, 1, "挂牌事项").font = Font(bold=True, size=12)
    r += 1
    _header(ws, r, LEDGER_HEADERS)
    listed = [tv for tv in rep.verdicts if tv.task["listed"]]
    listed.sort(key=lambda tv: tv.task["listed_no"])
    _ledger_rows(ws, r + 1, listed, lang)
    ws.freeze_panes = "A2"

    for area, vs in rep.groups:
        sheet = wb.create_sheet(sheet_title(f"{area['no']} {area['title']}", used))
        _header(sheet, 1, LEDGER_HEADERS, LEDGER_WIDTHS)
        _ledger_rows(sheet, 2, vs, lang)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:H{max(1, sheet.max_row)}"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = f"{rep.year}年重点任务进展（截至{rep.as_of.isoformat()}）"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- dispatch --------------------------------------------------------------------------


def render_report(rep: Report, fmt: str, lang: str) -> bytes:
    if fmt == "markdown":
        return to_markdown(rep, lang).encode("utf-8")
    if fmt == "html":
        return to_html(rep, lang).encode("utf-8")
    if fmt == "json":
        return render.to_json(to_json_obj(rep)).encode("utf-8")
    if fmt == "csv":
        return to_csv(rep, lang).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(rep, lang)
    raise BadInput(f"unknown report format {fmt!r}; use one of {', '.join(REPORT_FORMATS)}")


def guess_format(output: str | None) -> str:
    if output:
        return EXTENSIONS.get(pathlib.Path(output).suffix.lower(), "markdown")
    return "markdown"


def expand_output(template: str, as_of: datetime.date) -> pathlib.Path:
    """``{date}`` in the path becomes the as-of date (YYYY-MM-DD); ``~`` is expanded."""
    if not template or not template.strip():
        raise BadInput("--output is empty; give a file path such as reports/{date}.html")
    return pathlib.Path(os.path.expanduser(template.replace("{date}", as_of.isoformat())))


# -- safe writing ------------------------------------------------------------------------


def _fault(what: str, path, err: OSError) -> EnvironmentFault:
    reason = err.strerror or str(err)
    return EnvironmentFault(f"cannot {what} {path}: {reason}")


def lock_path(path: pathlib.Path) -> pathlib.Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def output_lock(path: pathlib.Path):
    """Hold an exclusive ``flock`` on ``PATH.lock`` while the report is written.

    Blocking: a second run waits for the first to finish, then writes its own
    report (the last to finish wins, and the file is always whole). The lock
    file is removed on release; a waiter that then finds it was handed a
    removed file retries on the new one, so no two runs ever write at once.
    """
    import fcntl

    lp = lock_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _fault("create the folder", path.parent, err) from err
    if path.is_dir():
        raise BadInput(f"--output {path} is a folder; give a file path such as {path}/report.html")
    while True:
        try:
            fd = os.open(lp, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise _fault("create the lock file", lp, err) from err
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(lp).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)  # the holder removed it while we waited: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lp)
        os.close(fd)  # releases the flock


def write_atomic(path: pathlib.Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, rename over ``path``, fsync the folder.

    On any failure the temp file is removed and ``path`` keeps its old content.
    """
    import tempfile

    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _fault("write to the folder", folder, err) from err
    try:
        try:
            mode = os.stat(path).st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _fault("write the report", path, err) from err
        raise
    fsync_folder(folder)
