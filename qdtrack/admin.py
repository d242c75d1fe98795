"""Looking after the ledger: create it, check it, read its log.

``check`` applies the same consistency rules (``rules.py``) that ``update`` and ``import``
apply before a write, over the whole history in one streaming pass per year.
"""

from __future__ import annotations

import datetime
import pathlib
from itertools import groupby

from . import rules
from .errors import BadInput, EnvironmentFault
from .ledger import Ledger
from .model import Entry, Metric, PlanChange
from .periods import OFFICE_TZ, parse_as_of, today


def init_ledger(db_path: str | None, force: bool) -> str:
    """``qdtrack init``: create the ledger; with ``force`` replace it, keeping a dated backup."""
    from .dbfile import default_location, explicit_path
    from .files import check_ledger_path

    path = explicit_path(db_path) or default_location()
    check_ledger_path(path)  # before looking at it: a FIFO, a device, a name too long ...
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise BadInput(f"a ledger already exists at {path}; add --force to replace it with the seed")
        stamp = datetime.datetime.now(OFFICE_TZ).strftime("%Y%m%d-%H%M%S")
        keep = path.with_name(f"{path.name}.{stamp}.bak")
        with Ledger.open(path, create=False) as ledger:
            ledger.backup_to(keep)
            ledger.reseed()
        return f"Replaced the ledger at {path} with the bundled 2025 seed; the old one is kept at {keep}."
    with Ledger.open(path, create=True):
        pass
    return f"Created a new ledger at {path} from the bundled 2025 seed."


def log(ledger: Ledger, year: int | None, item: str | None, since: str | None, limit: int | None) -> tuple[list[Entry], list[PlanChange]]:
    """Entries (newest first) and changes to the plan, for ``qdtrack log``."""
    from .model import find_task

    y = ledger.resolve_year(year, today())
    task_id = find_task(ledger.plan(y), item).id if item is not None else None
    since_text = parse_as_of(since, default_year=y).isoformat() if since is not None else None
    return ledger.log(y, task_id, since_text, limit), ledger.plan_changes(y, task_id, since_text)


def _label(year: int, ref: str, listed: bool) -> str:
    return f"{year} {'item' if listed else 'bullet'} {ref}"


def _year_problems(ledger: Ledger, year: int) -> list[str]:
    tasks = ledger.plan(year)
    problems = []
    listed = [t.listed_no for t in tasks if t.listed_no is not None]
    if not listed:
        problems.append(f"{year}: no listed items")
    gaps = rules.listed_gaps(listed)
    if gaps:
        problems.append(f"{year}: listed items {', '.join(map(str, gaps))} are missing (listed numbers must run 1-{max(listed)} without gaps)")
    metrics: dict[int, tuple[Metric, str]] = {}
    for t in tasks:
        for m in t.metrics:
            metrics[m.id] = (m, _label(year, t.ref, t.listed))
            problem = rules.unit_problem(m)
            if problem:
                problems.append(f"{metrics[m.id][1]} {m.name}: {problem}")
    rows = (r for r in ledger.entries_for_check(year) if r[1] is not None and not r[5])
    for metric_id, group in groupby(rows, key=lambda r: r[1]):
        if metric_id not in metrics:
            problems.append(f"{year}: figures for metric #{metric_id}, which belongs to no task of the year")
            continue
        m, label = metrics[metric_id]
        figures = []
        for entry_id, _, value, as_of, correction, _ in group:
            problem = rules.value_problem(m, value)
            if problem:
                problems.append(f"{label} entry #{entry_id} ({as_of}) {m.name}: {problem}")
            else:
                figures.append((entry_id, float(value or 0.0), as_of, correction))
        problems += [f"{label} {p}" for p in rules.falls(m, figures)]
    return problems


def check(ledger: Ledger) -> list[str]:
    """Every problem: SQLite's integrity and foreign keys, then qdtrack's own rules per year."""
    problems = ledger.integrity_problems()
    try:
        years = ledger.years()
        if not years:
            problems.append("the ledger holds no plan year")
        for year in years:
            problems += _year_problems(ledger, year)
    except EnvironmentFault as e:
        if not problems:
            raise
        problems.append(f"qdtrack's rules could not be checked: {e}")
    return problems


def backup(ledger: Ledger, target: str, force: bool) -> pathlib.Path:
    if not target.strip():
        raise BadInput("the backup PATH is empty; give a file path")
    ledger.backup_to(target, overwrite=force)
    return pathlib.Path(target)
