"""The JSON contract (README, "JSON contract"): keys and status values in English, ``"schema": 2``.

Exact values (no display rounding); nulls where a figure or a pace does not apply.
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any

from .model import Entry, MetricVerdict, MilestoneVerdict, PlanChange, TaskVerdict, counts

if TYPE_CHECKING:
    from .views import LaggingView, StatusView, TaskView

SCHEMA = 2


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def to_json(obj: dict[str, Any]) -> str:
    """The envelope's keys one per line, and each element of a list in it on a line of its own.

    One item per line reads well in a pager, diffs per item and greps whole (``grep '"id": "21"'``);
    and it is written by json's C encoder, where ``indent=2`` takes the pure-Python one (4x slower:
    3.3 ms against 0.75 ms for the seeded ledger's 169 items, a quarter of ``status --format json``).
    """
    enc = _ENCODER.encode
    lines = []
    for key, value in obj.items():
        if isinstance(value, list) and value:
            lines.append(f"  {enc(key)}: [\n    " + ",\n    ".join(map(enc, value)) + "\n  ]")
        else:
            lines.append(f"  {enc(key)}: {enc(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def metric_json(mv: MetricVerdict, as_of: datetime.date | None = None) -> dict[str, Any]:
    m = mv.metric
    out = {
        "name": m.name, "unit": m.unit, "target": num(m.target), "comparator": m.comparator, "kind": m.kind,
        "baseline": num(m.baseline), "actual": num(mv.actual), "percent": mv.percent,
        "expected_percent": mv.expected_percent, "points_vs_target": mv.points_vs_target, "status": mv.status,
        "figure_as_of": mv.figure.as_of.isoformat() if mv.figure else None,
        "judged_at": mv.judged_at.isoformat(),
    }  # fmt: skip
    return out


def milestone_json(v: MilestoneVerdict) -> dict[str, Any]:
    m = v.milestone
    return {"n": m.n, "due": m.due.isoformat(), "text": m.text, "done_on": m.done_on.isoformat() if m.done_on else None,
            "late": m.done_on is not None and m.done_on > m.due, "status": v.status, "days_overdue": v.days_overdue}  # fmt: skip


def task_json(tv: TaskVerdict) -> dict[str, Any]:
    t = tv.task
    return {
        "id": t.ref, "area": t.area_no, "title": t.title, "listed": t.listed, "owners": list(t.owners), "status": tv.status,
        "metrics": [metric_json(m) for m in tv.metrics], "milestones": [milestone_json(m) for m in tv.milestones],
        "note": {"text": tv.note.text, "quarter": tv.note.quarter, "as_of": tv.note.as_of.isoformat()} if tv.note else None,
    }  # fmt: skip


def envelope(year: int, as_of: datetime.date, **rest: Any) -> dict[str, Any]:
    return {"schema": SCHEMA, "year": year, "as_of": as_of.isoformat(), **rest}


def entry_json(e: Entry) -> dict[str, Any]:
    return {
        "entry": e.id, "item": e.ref, "quarter": e.quarter, "as_of": e.as_of.isoformat(), "metric": e.metric_name,
        "value": e.value, "unit": e.unit if e.metric_id is not None else None, "note": e.note, "status": e.status,
        "correction": e.correction, "recorded_at": e.recorded_at, "recorded_by": e.recorded_by, "source": e.source,
        "withdrawn": {"reason": e.void_reason, "by": e.voided_by, "at": e.voided_at} if e.voided else None,
    }  # fmt: skip


# -- the views as JSON: what each read command prints with --format json ------------------------
# (the commands import this module alone for JSON, not render_views and the tables behind it)


def status_json(v: StatusView) -> str:
    return to_json(envelope(v.year, v.as_of, items=[task_json(tv) for _, vs in v.groups for tv in vs]))


def areas_json(v: StatusView) -> str:
    rows = [{"area": a.no, "title": a.title, "tasks": len(vs), **counts(vs)} for a, vs in v.groups]
    return to_json(envelope(v.year, v.as_of, areas=rows))


def lagging_obj(v: LaggingView) -> dict[str, Any]:
    items = []
    for r in v.items:
        j = task_json(r.task)
        mj = metric_json(r.metric)
        mj.update({"gap_points": r.metric.gap, "shortfall": r.shortfall, "needed_per_quarter": r.per_quarter})
        j["metrics"] = [mj]
        items.append(j)
    return envelope(
        v.year, v.as_of, items=items, stale_quarter=v.stale_quarter, stale=[task_json(tv) for tv in v.stale],
        never_reported=[{"id": tv.task.ref, "metric": mv.metric.name} for tv, mv in v.never_reported],
        overdue=[{"id": tv.task.ref, "title": tv.task.title, **milestone_json(mv)} for tv, mv in v.overdue],
        due_soon=[{"id": tv.task.ref, "title": tv.task.title, **milestone_json(mv)} for tv, mv in v.due_soon],
    )  # fmt: skip


def lagging_json(v: LaggingView) -> str:
    return to_json(lagging_obj(v))


def show_json(v: TaskView) -> str:
    tv, t = v.verdict, v.verdict.task
    j = task_json(tv)
    j.update({"bullet": t.bullet, "text": t.text, "listed_text": t.listed_text, "area_title": t.area_title,
              "section": t.section_title, "parent": t.parent_ref, "parts": list(t.parts),
              "entries": [entry_json(e) for e in v.history], "entries_total": v.total_entries})  # fmt: skip
    return to_json(envelope(v.year, v.as_of, items=[j]))


def log_json(entries: list[Entry], changes: list[PlanChange]) -> str:
    return to_json({"schema": SCHEMA, "entries": [entry_json(e) for e in entries], "plan_changes": [c._asdict() for c in changes]})
