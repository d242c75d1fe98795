"""Turn verdicts into text: table, markdown, csv and json.

Nothing here queries the ledger. Tables line up Chinese text (tabulate with
wcwidth), colour only when asked to (the CLI decides: a terminal and no
NO_COLOR), and speak English or Chinese.
"""

from __future__ import annotations

import csv
import io
import json

from .periods import quarter_of
from .progress import counts
from .quantity import format_quantity

STATUS_WORDS = {
    "en": {"done": "done", "ahead": "ahead", "on_track": "on track", "lagging": "lagging", "no_data": "no data"},
    "zh": {"done": "完成", "ahead": "超前", "on_track": "正常", "lagging": "滞后", "no_data": "无数据"},
}
STATUS_COLOURS = {"done": "green", "ahead": "cyan", "on_track": "blue", "lagging": "red", "no_data": "yellow"}

HEADERS = {
    "en": {
        "id": "ID",
        "task": "Task",
        "target": "Target",
        "actual": "YTD",
        "percent": "%",
        "expected": "Pace %",
        "status": "Status",
        "bar": "Progress",
        "metric": "Metric",
        "area": "Area",
        "title": "Title",
        "total": "Tasks",
        "gap": "Behind (pts)",
        "shortfall": "Short of pace",
        "per_quarter": "Needed per quarter",
        "quarter": "Quarter",
        "figure": "Figure",
        "note": "Note",
        "recorded": "Recorded",
        "by": "By",
        "latest_note": "Latest note",
    },
    "zh": {
        "id": "序号",
        "task": "事项内容",
        "target": "目标",
        "actual": "累计完成",
        "percent": "完成%",
        "expected": "进度要求%",
        "status": "状态",
        "bar": "进度",
        "metric": "指标",
        "area": "领域",
        "title": "名称",
        "total": "事项数",
        "gap": "落后(百分点)",
        "shortfall": "还差",
        "per_quarter": "每季度需完成",
        "quarter": "季度",
        "figure": "数值",
        "note": "进展情况",
        "recorded": "记录时间",
        "by": "记录人",
        "latest_note": "最新进展",
    },
}


def words(lang):
    return STATUS_WORDS[lang]


def fmt_value(value, unit):
    if value is None:
        return ""
    return format_quantity(value, unit)


def fmt_pct(x):
    if x is None:
        return ""
    return f"{x:.1f}"


def bar(percent, expected, width=10) -> str:
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


def truncate(text: str, cols: int) -> str:
    """Cut text to at most ``cols`` terminal columns (Chinese counts two)."""
    from wcwidth import wcswidth

    if wcswidth(text) <= cols:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcswidth(ch), 0)
        if used + w > cols - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def style_status(status, lang, colour):
    word = words(lang)[status]
    if not colour:
        return word
    import click

    return click.style(word, fg=STATUS_COLOURS[status], bold=status == "lagging")


def summary_line(verdicts, lang) -> str:
    c = counts(verdicts)
    w = words(lang)
    sep = " · "
    return sep.join(f"{w[s]} {c[s]}" for s in c)


def metric_rows(tv, lang, colour, width=28):
    """Table rows for one task: one per metric, one for a qualitative task."""
    t = tv.task
    title = truncate(t["title"].rstrip("。"), width)
    if not tv.metrics:
        return [[t["ref"], title, "", "", "", "", style_status(tv.status, lang, colour), ""]]
    rows = []
    multi = len(tv.metrics) > 1
    if multi:
        rows.append([t["ref"], title, "", "", "", "", style_status(tv.status, lang, colour), ""])
    for mv in tv.metrics:
        m = mv.metric
        label = truncate("  ↳ " + m["name"], width) if multi else title
        rows.append(
            [
                "" if multi else t["ref"],
                label,
                m["target_text"],
                fmt_value(mv.actual, m["unit"]),
                fmt_pct(mv.percent),
                fmt_pct(mv.expected_percent),
                style_status(mv.status, lang, colour),
                bar(mv.percent, mv.expected_percent),
            ]
        )
    return rows


def _tabulate(rows, headers, fmt="simple"):
    from tabulate import tabulate

    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def status_columns(lang):
    h = HEADERS[lang]
    return [h["id"], h["task"], h["target"], h["actual"], h["percent"], h["expected"], h["status"], h["bar"]]


def status_table(groups, lang="en", colour=False) -> str:
    """``groups``: [(area dict, [TaskVerdict])] -> one table per area with a summary line."""
    out = []
    for area, verdicts in groups:
        rows = []
        for tv in verdicts:
            rows.extend(metric_rows(tv, lang, colour))
        out.append(f"{area['no']} {area['title']}")
        out.append(_tabulate(rows, status_columns(lang)))
        out.append(summary_line(verdicts, lang))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def flat_rows(verdicts, lang="en"):
    """One plain row per metric (qualitative tasks one row) for csv and markdown."""
    w = words(lang)
    for tv in verdicts:
        t = tv.task
        base = {"id": t["ref"], "area": t["area_no"], "task": t["title"]}
        if not tv.metrics:
            yield {
                **base,
                "metric": "",
                "target": "",
                "actual": "",
                "percent": "",
                "expected": "",
                "status": w[tv.status],
            }
        for mv in tv.metrics:
            m = mv.metric
            yield {
                **base,
                "metric": m["name"],
                "target": m["target_text"],
                "actual": fmt_value(mv.actual, m["unit"]),
                "percent": fmt_pct(mv.percent),
                "expected": fmt_pct(mv.expected_percent),
                "status": w[mv.status],
            }


FLAT_KEYS = ["id", "area", "task", "metric", "target", "actual", "percent", "expected", "status"]


def safe_cell(value):
    """Neutralise spreadsheet formula injection: text starting = + - @ tab CR gets a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows, keys, headers=None, bom=True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers or keys)
    for r in rows:
        writer.writerow([safe_cell(r.get(k, "")) for k in keys])
    return ("\ufeff" if bom else "") + buf.getvalue()


def md_escape(text) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def to_markdown(rows, keys, headers) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(md_escape(r.get(k, "")) for k in keys) + " |")
    return "\n".join(lines) + "\n"


def flat_headers(lang):
    return [HEADERS[lang][k] for k in FLAT_KEYS]


def to_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def status_json(year, as_of, verdicts) -> dict:
    return {"year": year, "as_of": as_of.isoformat(), "items": [tv.as_json() for tv in verdicts]}


def render_status(fmt, year, as_of, groups, lang="en", colour=False) -> str:
    verdicts = [tv for _, vs in groups for tv in vs]
    if fmt == "json":
        return to_json(status_json(year, as_of, verdicts))
    if fmt == "csv":
        return to_csv(flat_rows(verdicts, lang), FLAT_KEYS, flat_headers(lang))
    if fmt == "markdown":
        out = []
        for area, vs in groups:
            out.append(f"## {area['no']} {md_escape(area['title'])}\n")
            out.append(to_markdown(flat_rows(vs, lang), FLAT_KEYS, flat_headers(lang)))
            out.append(summary_line(vs, lang) + "\n")
        return "\n".join(out)
    head = f"{year} · as of {as_of.isoformat()}\n\n" if lang == "en" else f"{year}年 · 截至{as_of.isoformat()}\n\n"
    return head + status_table(groups, lang, colour)


# -- lagging -------------------------------------------------------------------


def lagging_rows(items, lang):
    w = words(lang)
    for r in items:
        tv, mv = r["task"], r["metric"]
        m = mv.metric
        unit = "个百分点" if m["kind"] == "rate" else m["unit"]
        short = r["shortfall"]
        yield {
            "id": tv.task["ref"],
            "task": tv.task["title"],
            "metric": m["name"],
            "target": m["target_text"],
            "actual": fmt_value(mv.actual, m["unit"]),
            "percent": fmt_pct(mv.percent),
            "expected": fmt_pct(mv.expected_percent),
            "gap": fmt_pct(r["gap"]),
            "shortfall": "" if short is None else ("还差" if lang == "zh" else "") + _fmt_short(short, unit),
            "per_quarter": fmt_value(round(r["per_quarter"], 2), m["unit"]) if r["per_quarter"] is not None else "",
            "status": w["lagging"],
        }


def _fmt_short(x, unit):
    if unit == "个百分点":
        return f"{round(x, 2):g}个百分点"
    return format_quantity(round(x, 2), unit)


LAG_KEYS = ["id", "task", "metric", "target", "actual", "percent", "expected", "gap", "shortfall", "per_quarter"]
LAG_TABLE_KEYS = [k for k in LAG_KEYS if k != "gap"]


def lagging_json(year, as_of, items, stale) -> dict:
    out = []
    for r in items:
        j = r["task"].as_json()
        mj = r["metric"].as_json()
        mj["gap_points"] = None if r["gap"] is None else round(r["gap"], 2)
        mj["shortfall"] = None if r["shortfall"] is None else round(r["shortfall"], 4)
        mj["needed_per_quarter"] = None if r["per_quarter"] is None else round(r["per_quarter"], 4)
        j["metrics"] = [mj]
        out.append(j)
    return {"year": year, "as_of": as_of.isoformat(), "items": out, "stale": [tv.as_json() for tv in stale]}


def render_lagging(fmt, year, as_of, items, stale, lang="en", colour=False) -> str:
    if fmt == "json":
        return to_json(lagging_json(year, as_of, items, stale))
    h = HEADERS[lang]
    headers = [h[k] for k in LAG_KEYS]
    rows = list(lagging_rows(items, lang))
    stale_rows = [{"id": tv.task["ref"], "task": tv.task["title"]} for tv in stale]
    if fmt == "csv":
        return to_csv(rows, LAG_KEYS, headers)
    q = str(quarter_of(as_of))
    if fmt == "markdown":
        out = [to_markdown(rows, LAG_KEYS, headers)]
        if stale_rows:
            out.append(("\nNo update for " if lang == "en" else "\n本季度未更新 ") + q + "\n")
            out.append(to_markdown(stale_rows, ["id", "task"], [h["id"], h["task"]]))
        return "\n".join(out)
    out = []
    title = (
        f"Behind the pace of the year, as of {as_of.isoformat()}"
        if lang == "en"
        else f"滞后于年度进度的指标（截至{as_of.isoformat()}）"
    )
    out.append(title)
    if rows:
        table_rows = [[truncate(r[k].rstrip("。"), 24) if k == "task" else r[k] for k in LAG_TABLE_KEYS] for r in rows]
        out.append(_tabulate(table_rows, [h[k] for k in LAG_TABLE_KEYS]))
    else:
        out.append("nothing is behind pace" if lang == "en" else "无滞后指标")
    out.append("")
    out.append(
        (f"Listed items with no update for {q}: " if lang == "en" else f"{q}未更新的挂牌事项：")
        + (str(len(stale_rows)) if stale_rows else ("none" if lang == "en" else "无"))
    )
    if stale_rows:
        out.append(", ".join(r["id"] for r in stale_rows))
    return "\n".join(out) + "\n"


# -- one task --------------------------------------------------------------------


def status_line(tv, as_of, lang="en", colour=False) -> str:
    """One line: ID, title, each metric's figure against its target, status."""
    t = tv.task
    parts = []
    for mv in tv.metrics:
        m = mv.metric
        got = fmt_value(mv.actual, m["unit"]) if mv.actual is not None else "—"
        pct = f" ({fmt_pct(mv.percent)}% / {fmt_pct(mv.expected_percent)}%)" if mv.percent is not None else ""
        parts.append(f"{m['name']} {got} of {m['target_text']}{pct}")
    body = "; ".join(parts)
    return (
        f"{t['ref']} {t['title'].rstrip('。')}: {body + ' — ' if body else ''}"
        + style_status(tv.status, lang, colour)
        + f" (as of {as_of.isoformat()})"
    )


def show_json(year, as_of, tv, tasks) -> dict:
    t = tv.task
    j = tv.as_json()
    by_metric = {m["id"]: m for m in t["metrics"]}
    j.update(
        {
            "bullet": t["bullet"],
            "text": t["text"],
            "listed_text": t["listed_text"],
            "area_title": t["area_title"],
            "section": t["section_title"],
            "parent": next((x["ref"] for x in tasks if x["id"] == t["parent_id"]), None),
            "parts": t["parts"],
            "updates": [
                {
                    "quarter": u["quarter"],
                    "metric": by_metric[u["metric_id"]]["name"] if u["metric_id"] else None,
                    "value": u["value"],
                    "unit": by_metric[u["metric_id"]]["unit"] if u["metric_id"] else None,
                    "note": u["note"],
                    "status": u["status"],
                    "correction": bool(u["correction"]),
                    "recorded_at": u["recorded_at"],
                    "recorded_by": u["recorded_by"],
                    "source": u["source"],
                }
                for u in t["updates"]
            ],
        }
    )
    return {"year": year, "as_of": as_of.isoformat(), "items": [j]}


def render_show(fmt, year, as_of, tv, tasks, lang="en", colour=False) -> str:
    if fmt == "json":
        return to_json(show_json(year, as_of, tv, tasks))
    t = tv.task
    h = HEADERS[lang]
    zh = lang == "zh"
    lines = [f"{t['ref']}  {t['title']}"]
    if t["bullet"] and t["listed_no"] is not None:
        lines.append(("报告原文" if zh else "Report bullet") + f" {t['bullet']}: {t['text']}")
    if t["parts"]:
        lines.append(("分解为挂牌事项" if zh else "Tracked through listed items") + ": " + ", ".join(t["parts"]))
    parent = next((x for x in tasks if x["id"] == t["parent_id"]), None)
    if parent:
        lines.append(("出自报告" if zh else "Part of bullet") + f" {parent['bullet']}: {parent['text']}")
    lines.append(
        ("领域" if zh else "Area")
        + f" {t['area_no']} {t['area_title']}"
        + (f" · {t['section_title']}" if t["section_title"] else "")
    )
    lines.append(
        ("状态" if zh else "Status")
        + f": {style_status(tv.status, lang, colour)}"
        + (f" (截至{as_of.isoformat()})" if zh else f" (as of {as_of.isoformat()})")
    )
    lines.append("")
    if tv.metrics:
        rows = [
            [
                m.metric["pos"],
                m.metric["name"],
                m.metric["target_text"],
                fmt_value(m.actual, m.metric["unit"]),
                fmt_pct(m.percent),
                fmt_pct(m.expected_percent),
                style_status(m.status, lang, colour),
            ]
            for m in tv.metrics
        ]
        lines.append(
            _tabulate(rows, ["#", h["metric"], h["target"], h["actual"], h["percent"], h["expected"], h["status"]])
        )
    else:
        lines.append("No numeric target." if not zh else "无量化目标。")
    lines.append("")
    lines.append(("更新记录" if zh else "Updates") + f" ({len(t['updates'])})")
    names = {m["id"]: m for m in t["metrics"]}
    for u in t["updates"]:
        what = []
        if u["metric_id"] is not None:
            m = names[u["metric_id"]]
            what.append(f"{m['name']} {fmt_value(u['value'], m['unit'])}")
        if u["status"]:
            what.append(words(lang)[u["status"]])
        if u["correction"]:
            what.append("correction" if not zh else "更正")
        head = f"- {u['quarter']} · {u['recorded_at'][:10]} · {u['recorded_by']}"
        lines.append(head + (": " + ", ".join(what) if what else ""))
        if u["note"]:
            for para in u["note"].splitlines():
                lines.append("    " + para)
    return "\n".join(lines) + "\n"


# -- areas -------------------------------------------------------------------------


def render_areas(fmt, year, as_of, groups, lang="en") -> str:
    w = words(lang)
    h = HEADERS[lang]
    from .progress import STATUSES

    rows = []
    for area, vs in groups:
        c = counts(vs)
        rows.append({"area": area["no"], "title": area["title"], "tasks": len(vs), **c})
    if fmt == "json":
        return to_json({"year": year, "as_of": as_of.isoformat(), "areas": rows})
    keys = ["area", "title", "tasks", *STATUSES]
    headers = [h["area"], h["title"], h["total"], *(w[s] for s in STATUSES)]
    if fmt == "csv":
        return to_csv(rows, keys, headers)
    if fmt == "markdown":
        return to_markdown(rows, keys, headers)
    table = [[r[k] for k in keys] for r in rows]
    head = f"{year} · as of {as_of.isoformat()}\n\n" if lang == "en" else f"{year}年 · 截至{as_of.isoformat()}\n\n"
    return head + _tabulate(table, headers) + "\n"
