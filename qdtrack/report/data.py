"""The report as JSON (the status contract plus the report's sections) and as CSV (one row per metric)."""

from __future__ import annotations

from typing import Any

from .. import render
from ..model import Entry, counts
from ..render_json import envelope, metric_json, task_json
from .gather import Report
from .text import ITEM_KEYS, item_headers, item_rows


def to_json_obj(rep: Report) -> dict[str, Any]:
    verdicts = rep.verdicts
    obj = envelope(rep.year, rep.as_of, items=[task_json(tv) for tv in verdicts])
    lagging = []
    for r in rep.lagging:
        j = task_json(r.task)
        j["metrics"] = [{**metric_json(r.metric), "gap_points": r.metric.gap, "shortfall": r.shortfall, "needed_per_quarter": r.per_quarter}]
        lagging.append(j)
    obj.update(
        {
            "generated_at": rep.generated_at,
            "counts": counts(verdicts),
            "areas": [
                {"area": a.no, "title": a.title, "tasks": len(vs), **counts(vs)}
                for a, vs in rep.groups
            ],
            "notes": {
                tv.task.ref: {"quarter": tv.note.quarter, "note": tv.note.text} for tv in verdicts if tv.note
            },
            "lagging": lagging,
            "stale": [task_json(tv) for tv in rep.stale],
            "changes_since_last_report": {
                "previous_report_at": rep.previous_run.generated_at if rep.previous_run else None,
                "since_update_id": rep.previous_run.last_update_id if rep.previous_run else None,
                "updates": [change_json(u) for u in rep.changes],
            },
        }
    )
    return obj


def change_json(u: Entry) -> dict[str, Any]:
    """One update since the previous report run, as the JSON report lists it."""
    return {
        "update_id": u.id,
        "id": u.ref,
        "quarter": u.quarter,
        "metric": u.metric_name,
        "value": u.value,
        "unit": u.unit if u.metric_id is not None else None,
        "note": u.note,
        "status": u.status,
        "correction": u.correction,
        "recorded_at": u.recorded_at,
        "recorded_by": u.recorded_by,
    }


# -- csv -------------------------------------------------------------------------------


def to_csv(rep: Report, lang: str) -> str:
    return render.to_csv(item_rows(rep.verdicts, lang), ITEM_KEYS, item_headers(lang))
