"""The report as JSON (the status contract plus the report's sections) and as CSV (one row per metric)."""

from __future__ import annotations

from .. import render
from ..progress import counts
from .gather import Report
from .text import ITEM_KEYS, item_headers, item_rows


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
