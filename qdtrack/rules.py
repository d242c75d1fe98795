"""The ledger's consistency rules: one home, used by ``update``/``import`` before a write and by ``check`` after.

Pure: each rule takes values and returns the problem as text, or None.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable

from .i18n import _, format_date
from .model import NON_DECREASING, Metric
from .quantity import CANONICAL_UNITS, QuantityError, format_quantity

#: The longest note qdtrack stores.
MAX_NOTE = 10_000


def shown(value: float, unit: str | None) -> str:
    """A figure in its unit for a message (a raw repr for a value the ledger should never hold)."""
    try:
        return format_quantity(value, unit)
    except QuantityError:
        return f"{value!r}{unit or ''}"


def ytd_conflict(
    metric: Metric, value: float, earlier: float | None, later: float | None,
    earlier_on: datetime.date | None = None, later_on: datetime.date | None = None,
) -> str | None:  # fmt: skip
    """A year-to-date figure (cumulative, total) never falls: not below the figure in force
    before it, nor above one dated after it. ``None`` when the figure may stand. The dates of
    the other figure, when given, are named in the message."""
    if metric.kind not in NON_DECREASING:
        return None
    if earlier is not None and value < earlier:
        if earlier_on is not None:
            return _("{value} is below the year-to-date {earlier} already recorded as of {date}").format(
                value=shown(value, metric.unit), earlier=shown(earlier, metric.unit), date=format_date(earlier_on)
            )
        return _("{value} is below the year-to-date {earlier} already recorded").format(
            value=shown(value, metric.unit), earlier=shown(earlier, metric.unit)
        )
    if later is not None and value > later:
        if later_on is not None:
            return _("{value} is above the year-to-date {later} recorded as of {date}, a later date").format(
                value=shown(value, metric.unit), later=shown(later, metric.unit), date=format_date(later_on)
            )
        return _("{value} is above the year-to-date {later} recorded for a later date").format(
            value=shown(value, metric.unit), later=shown(later, metric.unit)
        )
    return None


def value_problem(metric: Metric, value: object) -> str | None:
    """A stored figure that is not a finite number, or negative where only rates may be."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return _("{value!r} is not a finite number").format(value=value)
    if value < 0 and not metric.is_rate:
        return _("{value} is negative; only rates may be").format(value=shown(value, metric.unit))
    if abs(value) >= 1e15:
        return _("{value!r} is too large").format(value=value)
    return None


def unit_problem(metric: Metric) -> str | None:
    if metric.unit not in CANONICAL_UNITS:
        return _("unit {unit!r} is not one of qdtrack's units ({units})").format(
            unit=metric.unit, units=", ".join(CANONICAL_UNITS)
        )
    return None


def note_problem(note: str) -> str | None:
    if not note.strip():
        return _("--note is empty; give the progress text, or leave --note out")
    if len(note) > MAX_NOTE:
        return _("--note is longer than {n} characters; shorten it").format(n=MAX_NOTE)
    if "\x00" in note:
        return _("--note contains a NUL character; remove it")
    return None


def listed_gaps(listed_numbers: Iterable[int]) -> list[int]:
    """Listed numbers must run 1..N without gaps: the missing ones."""
    found = sorted(listed_numbers)
    return sorted(set(range(1, found[-1] + 1)) - set(found)) if found else []


def falls(metric: Metric, figures: Iterable[tuple[int, float, str, bool]]) -> list[str]:
    """``check``'s view of ``ytd_conflict``: figures (entry id, value, as-of date, correction)
    in date order; a fall not marked as a correction is a problem."""
    out: list[str] = []
    before: tuple[int, float, str] | None = None
    for entry_id, value, as_of, correction in figures:
        if before is not None and not correction:
            problem = ytd_conflict(metric, value, before[1], None)
            if problem:
                why = _(
                    "{metric}: year-to-date falls from {before} ({before_date}, entry #{before_entry}) "
                    "to {value} ({date}, entry #{entry}) and the later one is not marked as a correction"
                )
                out.append(why.format(metric=metric.name, before=shown(before[1], metric.unit), before_date=before[2],
                                      before_entry=before[0], value=shown(value, metric.unit), date=as_of, entry=entry_id))  # fmt: skip
        before = (entry_id, value, as_of)
    return out
