"""The report as one self-contained HTML page (inline CSS and SVG, nothing fetched)."""

from __future__ import annotations

import html

from .. import render
from ..progress import STATUSES, counts
from .gather import Report
from .text import CHANGE_KEYS, change_headers, change_rows, lag_headers, prev_when
from .text import t as _t

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
        out.append(f'<p class="muted">{e(_t(lang, "no_changes", when=prev_when(rep)))}</p>')
    else:
        out.append(f'<p class="muted">{e(_t(lang, "changes_since", when=prev_when(rep)))}</p>')
        out.append(_plain_table(list(change_rows(rep, lang)), CHANGE_KEYS, change_headers(lang), num_keys=("figure",)))
    out.append("</body></html>")
    return "\n".join(out) + "\n"
