"""The plan's own history in an export (changes with who and when, milestones and their
reports), read back by ``import`` and replayed where the ledger does not have it yet."""

from __future__ import annotations

import datetime
import pathlib
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import BadInput
from .exchange_export import CHANGE_KEYS, CHANGES_SHEET, MILESTONE_KEYS, MILESTONES_SHEET
from .i18n import _
from .ledger import Ledger
from .model import Task, find_task
from .sheets import cell_text, read_bytes, shown, xlsx_table
from .uids import change_key

Record = dict[str, str | None]
#: Plan changes whose new value ``import`` applies to the plan (the rest are only recorded).
APPLIED = ("baseline", "target", "target_text", "comparator", "kind", "owners")


@dataclass(frozen=True)
class PlanHistory:
    changes: list[Record]
    milestones: list[Record]


def _records(items: object, keys: Sequence[str], source: str, what: str) -> list[Record]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadInput(_("cannot import {file}: its {what} must be a list of records as export writes them").format(file=source, what=what))  # fmt: skip
    return [{k: cell_text(i.get(k)) if not isinstance(i.get(k), dict | list) else None for k in keys} for i in items]


def _sheet_records(data: bytes, source: str, sheet: str, keys: Sequence[str]) -> list[Record]:
    rows = iter(xlsx_table(data, source, (sheet,)))
    header = next(rows, None)
    if header is None:
        return []
    names = [text for text, _problem in header]
    out = []
    for row in rows:
        record: Record = {k: None for k in keys}
        for name, (text, problem) in zip(names, row, strict=False):
            if name in record:
                if problem:
                    raise BadInput(_("{file} sheet {sheet}: {problem}; nothing was recorded").format(file=source, sheet=sheet, problem=problem))  # fmt: skip
                record[name] = text
        if any(record.values()):
            out.append(record)
    return out


def read_history(file: str) -> PlanHistory:
    """The plan history a .json or .xlsx export carries (none in a .csv or an office's sheet)."""
    ext = pathlib.PurePath(file).suffix.lower()
    if ext == ".json":
        from .sheets import _json_load

        obj = _json_load(read_bytes(file), shown(file))
        if not isinstance(obj, dict):
            return PlanHistory([], [])
        return PlanHistory(_records(obj.get("plan_changes"), CHANGE_KEYS, shown(file), "plan_changes"),
                           _records(obj.get("milestones"), MILESTONE_KEYS, shown(file), "milestones"))  # fmt: skip
    if ext == ".xlsx":
        data = read_bytes(file)
        return PlanHistory(_sheet_records(data, shown(file), CHANGES_SHEET, CHANGE_KEYS),
                           _sheet_records(data, shown(file), MILESTONES_SHEET, MILESTONE_KEYS))  # fmt: skip
    return PlanHistory([], [])


def _task(tasks: Sequence[Task], ref: str | None, file: str, where: str) -> Task:
    try:
        return find_task(tasks, ref or "")
    except BadInput as e:
        raise BadInput(_("{file} {where}: {problem}; nothing was recorded").format(file=file, where=where, problem=e)) from None


def _replay_change(ledger: Ledger, tasks: Sequence[Task], year: int, r: Record, file: str, n: int) -> None:
    task = _task(tasks, r["item"], file, _("plan change {n}").format(n=n)) if r["item"] else None
    metric = None
    if task is not None and r["metric"]:
        metric = next((m for m in task.metrics if m.name == r["metric"]), None)
        if metric is None:
            raise BadInput(_("{file} plan change {n}: item {ref} has no metric {metric}; nothing was recorded").format(file=file, n=n, ref=task.ref, metric=r["metric"]))  # fmt: skip
    field = r["field"] or ""
    if not field or not r["recorded_at"] or not r["recorded_by"]:
        raise BadInput(_("{file} plan change {n}: field, recorded_at and recorded_by are needed; nothing was recorded").format(file=file, n=n))  # fmt: skip
    ledger.put_plan_changes([(year, task.id if task else None, metric.id if metric else None, field, r["old"], r["new"],
                              r["recorded_at"], r["recorded_by"], r["source"] or f"import {file}")])  # fmt: skip
    try:
        if field == "owners" and task is not None:
            ledger.replace_owners(task.id, tuple(u for u in (r["new"] or "").split("、") if u))
        elif field in APPLIED and metric is not None:
            ledger.apply_metric_field(metric.id, field, r["new"])
    except ValueError:
        raise BadInput(_("{file} plan change {n}: {field} {value!r} cannot be applied; nothing was recorded").format(file=file, n=n, field=field, value=r["new"])) from None  # fmt: skip


def _replay_milestone(ledger: Ledger, tasks: Sequence[Task], have: dict[tuple[int, int], tuple[int, bool, bool]], r: Record, file: str) -> int:  # fmt: skip
    task = _task(tasks, r["item"], file, _("milestone"))
    try:
        n, due = int(r["n"] or ""), datetime.date.fromisoformat(r["due"] or "")
    except ValueError:
        raise BadInput(_("{file} milestone of item {ref}: n and due must be a number and a date; nothing was recorded").format(file=file, ref=task.ref)) from None  # fmt: skip
    added = 0
    removed = (r["removed"] or "0") not in ("0", "false", "")
    found = have.get((task.id, n))
    if found is None:
        found = (ledger.put_milestone(task.id, n, due, r["text"] or "?", removed), removed, False)
        added += 1
    elif removed and not found[1]:
        ledger.mark_milestone_removed(found[0])
    if r["done_on"] and not found[2]:
        if not r["done_at"] or not r["done_by"]:
            raise BadInput(_("{file} milestone {n} of item {ref}: done_at and done_by are needed with done_on; nothing was recorded").format(file=file, n=n, ref=task.ref))  # fmt: skip
        ledger.put_milestone_done(found[0], r["done_on"], r["done_note"], r["done_at"] or "", r["done_by"] or "", r["done_source"] or f"import {file}")  # fmt: skip
        added += 1
    return added


def replay(ledger: Ledger, tasks: list[Task], year: int, history: PlanHistory, file: str) -> int:
    """Record the plan changes and milestones the ledger lacks (inside the caller's write); how many."""
    seen = {change_key(c.item, c.metric, c.field, c.old, c.new, c.recorded_at, c.recorded_by) for c in ledger.plan_changes(year)}
    added = 0
    for n, r in enumerate(history.changes, start=1):
        key = change_key(r["item"], r["metric"], r["field"], r["old"], r["new"], r["recorded_at"], r["recorded_by"])
        if key in seen:
            continue
        seen.add(key)
        _replay_change(ledger, tasks, year, r, file, n)
        added += 1
    if history.milestones:
        have = ledger.milestone_ids(year)
        for r in history.milestones:
            added += _replay_milestone(ledger, tasks, have, r, file)
    return added


__all__ = ["PlanHistory", "read_history", "replay"]
