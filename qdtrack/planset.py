"""``qdtrack plan set``: edit a task's plan — responsible units, a metric's target, comparator,
kind or baseline — each change logged in the plan's history with who and when."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import recording
from .errors import BadInput
from .i18n import _
from .ledger import Ledger
from .model import Metric, Task, find_task
from .periods import now_iso, today
from .quantity import parse_quantity

COMPARATORS = ("at_least", "about", "reach", "at_most", "plain")
KINDS = ("cumulative", "level", "rate", "total")
_UNIT_SPLIT = re.compile(r"[、,，;；]+")


@dataclass(frozen=True)
class PlanEdit:
    """What ``plan set`` was asked to change; None leaves a field as it is."""

    metric: str | None = None
    baseline: str | None = None
    owners: tuple[str, ...] = ()
    target: str | None = None
    comparator: str | None = None
    kind: str | None = None

    @property
    def touches_metric(self) -> bool:
        return any(x is not None for x in (self.baseline, self.target, self.comparator, self.kind))


def parse_units(given: tuple[str, ...]) -> tuple[str, ...]:
    """``--owner A --owner B`` or ``--owner A、B``: the units in order (lead unit first), each once."""
    units: list[str] = []
    for text in given:
        for unit in _UNIT_SPLIT.split(text):
            unit = " ".join(unit.split())
            if not unit:
                continue
            if len(unit) > 100 or any(ord(c) < 32 for c in unit):
                raise BadInput(_("--owner {unit!r} is not a unit name; give 1-100 printable characters").format(unit=unit[:40]))
            if unit not in units:
                units.append(unit)
    if given and not units:
        raise BadInput(_("--owner needs a unit name, e.g. --owner 市交通运输局"))
    return tuple(units)


def _choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v not in allowed:
        raise BadInput(_("{option} {value!r} is not one of {allowed}").format(option=option, value=value, allowed=", ".join(allowed)))
    return v


def _target(m: Metric, text: str) -> float:
    parsed = parse_quantity(text)
    value = recording.figure(parsed, text, m, "--target", strict_units=True)
    if m.kind != "rate" and value <= 0:
        raise BadInput(_("--target {text} must be above zero").format(text=text))
    return value


def _metric_changes(task: Task, edit: PlanEdit) -> tuple[Metric, list[tuple[str, str | None, str]], float | None]:
    """(metric, [(field, old, new)] for target/comparator/kind, new baseline) — checked, not written."""
    m = recording.choose_metric(task, edit.metric, None)
    changes: list[tuple[str, str | None, str]] = []
    comparator = _choice(edit.comparator, COMPARATORS, "--comparator")
    kind = _choice(edit.kind, KINDS, "--kind")
    if edit.target is not None:
        value = _target(m, edit.target)
        changes += [("target", repr(m.target), repr(value)), ("target_text", m.target_text, edit.target.strip())]
    if comparator is not None and comparator != m.comparator:
        changes.append(("comparator", m.comparator, comparator))
    if kind is not None and kind != m.kind:
        changes.append(("kind", m.kind, kind))
    baseline = None
    if edit.baseline is not None:
        if (kind or m.kind) != "level":
            raise BadInput(_("{name} is a {kind} target; a baseline applies to level targets (达到, 稳定在 …)").format(name=m.name, kind=kind or m.kind))
        baseline = recording.figure(parse_quantity(edit.baseline), edit.baseline, m, "--baseline")
        target = float(changes[0][2]) if edit.target is not None else m.target
        if baseline >= target:
            raise BadInput(_("--baseline {value} is not below the target {target}; the baseline is the level on 1 January").format(value=edit.baseline, target=m.target_text))
    return m, changes, baseline


def set_plan(ledger: Ledger, ref: str, edit: PlanEdit, year: int | None, by: str | None, source: str) -> tuple[Task, list[str]]:
    """Apply ``edit`` to task ``ref`` in one write; lines saying what changed (English source text)."""
    if not edit.owners and not edit.touches_metric:
        raise BadInput(_("nothing to change: give --owner, --target, --comparator, --kind or --baseline"))
    if edit.metric is not None and not edit.touches_metric:
        raise BadInput(_("--metric needs --target, --comparator, --kind or --baseline to go with it"))
    y = ledger.resolve_year(year, today())
    who, at = recording.who(by), now_iso()
    lines: list[str] = []
    with ledger.write():
        task = find_task(ledger.plan(y), ref)  # inside: old values and the baseline-below-target rule use what is in force
        if edit.owners:
            ledger.set_owners(task, edit.owners, at, who, source)
            lines.append(_("{ref} responsible units: {units}").format(ref=task.ref, units="、".join(edit.owners)))
        if edit.touches_metric:
            m, changes, baseline = _metric_changes(task, edit)
            for field, old, new in changes:
                ledger.set_metric_field(y, m, field, old, new, at, who, source)
                if field != "target_text":
                    shown = edit.target if field == "target" else new
                    lines.append(_("{ref} {metric}: {field} {value}").format(ref=task.ref, metric=m.name, field=field, value=shown))
            if baseline is not None:
                ledger.set_baseline(y, m, baseline, at, who, source)
                lines.append(_("{ref} {metric}: baseline {value}").format(ref=task.ref, metric=m.name, value=edit.baseline))
    return task, lines
