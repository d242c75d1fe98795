"""The report as JSON (the status contract plus the report's sections) and as CSV (one row per metric)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import render
from ..i18n import _
from ..model import Entry, MetricVerdict, TaskVerdict, counts
from ..render_json import envelope, metric_json, milestone_json, num, task_json
from . import trend
from .gather import CHANGES_SHOWN, DUE_SOON_DAYS, MilestoneRow, Report
from .text import note_is_older, note_text, supervision


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
            "chain_head": rep.chain_head,  # the history chain's head when the report was made (check --head)
            "counts": counts(verdicts),
            "areas": [
                {"area": a.no, "title": a.title, "tasks": len(vs), **counts(vs)}
                for a, vs in rep.groups
            ],
            "supervision": [
                {"status": s, "tasks": n, "percent_of_tasks": float(render.round_half_up(p))}
                for s, n, p in supervision(verdicts)
            ],
            "notes": {
                tv.task.ref: {"quarter": tv.note.quarter, "as_of": tv.note.as_of.isoformat(), "note": tv.note.text,
                              "older_than_figure": note_is_older(tv)}
                for tv in verdicts if tv.note
            },  # fmt: skip
            "lagging": lagging,
            "stale_quarter": rep.stale_quarter,
            "stale": [task_json(tv) for tv in rep.stale],
            "milestones_overdue": _milestones(rep.overdue),
            "milestones_due_soon": {"within_days": DUE_SOON_DAYS, "milestones": _milestones(rep.due_soon)},
            "never_reported": [{"id": tv.task.ref, "metric": mv.metric.name} for tv, mv in rep.never_reported],
            "changes_since_last_report": {
                "previous_report_at": rep.previous_run.generated_at if rep.previous_run else None,
                "since_update_id": rep.previous_run.last_update_id if rep.previous_run else None,
                "count": rep.changes.count,
                "shown_in_documents": CHANGES_SHOWN,
                "updates": [change_json(u) for u in rep.changes.all()],
            },
            "quarters": _quarters(rep),
        }
    )
    if rep.closing:
        obj["year_end"] = _closing(rep)
    return obj


def _milestones(pairs: list[MilestoneRow]) -> list[dict[str, Any]]:
    return [{"id": tv.task.ref, "title": tv.task.title, **milestone_json(mv)} for tv, mv in pairs]


def _quarters(rep: Report) -> list[dict[str, Any]]:
    """Every metric's figure at the end of each ended quarter (the ``progress`` view's rows)."""
    out = []
    for tv in rep.verdicts:
        for mv in tv.metrics:
            figures = rep.quarters.get(mv.metric.id, [])
            out.append({"id": tv.task.ref, "metric": mv.metric.name, "unit": mv.metric.unit,
                        "figures": {f"Q{qf.quarter}": num(qf.actual) for qf in figures},
                        "as_of": {f"Q{qf.quarter}": qf.as_of.isoformat() for qf in figures}})  # fmt: skip
    return out


def _closing(rep: Report) -> dict[str, Any]:
    """The year's closing account: each target's outcome (early, met, missed, never) and the tally."""
    targets, tally = [], dict.fromkeys(trend.OUTCOMES, 0)
    for tv in rep.verdicts:
        for mv in tv.metrics:
            o = trend.outcome(rep, mv)
            tally[o] += 1
            targets.append({"id": tv.task.ref, "metric": mv.metric.name, "target": num(mv.metric.target),
                            "unit": mv.metric.unit, "actual": num(mv.actual), "outcome": o})  # fmt: skip
    return {"outcomes": tally, "targets": targets}


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


CSV_KEYS = ["id", "area", "task", "metric", "target", "target_value", "actual", "unit", "percent", "expected", "status",
            "note", "as_of"]  # fmt: skip


def _csv_numbers(tv: TaskVerdict, mv: MetricVerdict | None) -> dict[str, Any]:
    """The number columns: figures in the metric's unit; % (or a rate's points) and pace rounded as shown."""
    if mv is None:
        return {"target_value": "", "actual": "", "unit": "", "percent": "", "expected": ""}
    m = mv.metric
    pct = mv.points_vs_target if m.is_rate else mv.percent
    return {
        "target_value": num(m.target), "actual": num(mv.actual) if mv.actual is not None else "", "unit": m.unit,
        "percent": "" if pct is None else float(render.round_half_up(pct)),
        "expected": "" if mv.expected_percent is None else float(render.round_half_up(mv.expected_percent)),
    }  # fmt: skip


def csv_rows(rep: Report, lang: str) -> Iterator[dict[str, Any]]:
    """One row per metric (a task without one: one row); numbers as numbers, the as-of date on every row."""
    w = render.words(lang)
    for tv in rep.verdicts:
        metrics: list[MetricVerdict | None] = list(tv.metrics) or [None]
        for i, mv in enumerate(metrics):
            yield {
                "id": tv.task.ref, "area": tv.task.area_no, "task": tv.task.title,
                "metric": mv.metric.name if mv else "", "target": mv.metric.target_text if mv else "",
                **_csv_numbers(tv, mv), "status": w[mv.status if mv else tv.status],
                "note": note_text(tv) if i == 0 else "", "as_of": rep.as_of.isoformat(),
            }  # fmt: skip


def csv_headers(lang: str) -> list[str]:
    h = render.HEADERS[lang]
    extra = {"target_value": _("Target value"), "unit": _("Unit"), "note": h["latest_note"], "as_of": h["as_of"]}
    return [extra.get(k) or h[k] for k in CSV_KEYS]


def to_csv(rep: Report, lang: str) -> str:
    return render.to_csv(csv_rows(rep, lang), CSV_KEYS, csv_headers(lang))
