"""The report as JSON (the status contract plus the report's sections) and as CSV (one row per metric)."""

from __future__ import annotations

from typing import Any

from .. import render
from ..progress import counts
from .gather import Report, Row, attr
from .text import ITEM_KEYS, item_headers, item_rows


def to_json_obj(rep: Report) -> dict[str, Any]:
    verdicts = rep.verdicts
    obj = render.status_json(rep.year, rep.as_of, verdicts)
    lag = render.lagging_json(rep.year, rep.as_of, rep.lagging, rep.stale)
    obj.update(
        {
            "generated_at": rep.generated_at,
            "counts": counts(verdicts),
            "areas": [
                {"area": attr(a, "no"), "title": attr(a, "title"), "tasks": len(vs), **counts(vs)}
                for a, vs in rep.groups
            ],
            "notes": {
                attr(tv.task, "ref"): {"quarter": tv.note_quarter, "note": tv.note} for tv in verdicts if tv.note
            },
            "lagging": lag["items"],
            "stale": lag["stale"],
            "changes_since_last_report": {
                "previous_report_at": attr(rep.previous_run, "generated_at") if rep.previous_run else None,
                "since_update_id": attr(rep.previous_run, "last_update_id") if rep.previous_run else None,
                "updates": [change_json(u) for u in rep.changes],
            },
        }
    )
    return obj


def change_json(u: Row) -> dict[str, Any]:
    """One update since the previous report run, as the JSON report lists it."""
    return {
        "update_id": attr(u, "id"),
        "id": attr(u, "ref"),
        "quarter": attr(u, "quarter"),
        "metric": attr(u, "metric_name"),
        "value": attr(u, "value"),
        "unit": attr(u, "unit") if attr(u, "metric_id") is not None else None,
        "note": attr(u, "note"),
        "status": attr(u, "status"),
        "correction": bool(attr(u, "correction")),
        "recorded_at": attr(u, "recorded_at"),
        "recorded_by": attr(u, "recorded_by"),
    }


# -- csv -------------------------------------------------------------------------------


def to_csv(rep: Report, lang: str) -> str:
    return render.to_csv(item_rows(rep.verdicts, lang), ITEM_KEYS, item_headers(lang))
