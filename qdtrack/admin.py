"""Looking after the ledger: create it, check it, read its log.

``check`` applies the same consistency rules (``rules.py``) that ``update`` and ``import``
apply before a write, over the whole history in one streaming pass per year.
"""

from __future__ import annotations

import datetime
from itertools import groupby
from typing import TYPE_CHECKING

from . import rules
from .errors import BadInput, EnvironmentFault
from .i18n import _
from .ledger import Ledger
from .model import Entry, Metric, PlanChange
from .periods import OFFICE_TZ, parse_as_of, today

if TYPE_CHECKING:  # log reads: pathlib (4 ms of start-up) only where a path object is made
    import pathlib


def kept_copy(ledger: Ledger) -> pathlib.Path:
    """A dated backup of ``ledger`` beside its file (``ledger.db.YYYYMMDD-HHMMSS.bak``), before it is replaced."""
    from .files import dated_path

    keep = dated_path(ledger.path, datetime.datetime.now(OFFICE_TZ))
    ledger.backup_to(keep)
    return keep


def init_ledger(db_path: str | None, force: bool) -> str:
    """``qdtrack init``: create the ledger; with ``force`` replace it, keeping a dated backup."""
    import pathlib

    from .dbfile import default_location, explicit_path
    from .files import check_ledger_path

    path = pathlib.Path(explicit_path(db_path) or default_location())
    check_ledger_path(path)  # before looking at it: a FIFO, a device, a name too long ...
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise BadInput(_("a ledger already exists at {path}; add --force to replace it with the seed").format(path=path))
        with Ledger.open(path, create=False) as ledger:
            keep = kept_copy(ledger)
            ledger.reseed()
        return _("Replaced the ledger at {path} with the bundled 2025 seed; the old one is kept at {keep}.").format(path=path, keep=keep)
    with Ledger.open(path, create=True):
        pass
    return _("Created a new ledger at {path} from the bundled 2025 seed.").format(path=path)


def log(ledger: Ledger, year: int | None, item: str | None, since: str | None, limit: int | None) -> tuple[list[Entry], list[PlanChange]]:
    """Entries (newest first) and changes to the plan, for ``qdtrack log``."""
    from .model import find_task

    y = ledger.resolve_year(year, today())
    task_id = find_task(ledger.plan(y), item).id if item is not None else None
    since_text = parse_as_of(since, default_year=y).isoformat() if since is not None else None
    return ledger.log(y, task_id, since_text, limit), ledger.plan_changes(y, task_id, since_text)


def _label(year: int, ref: str, listed: bool) -> str:
    return (_("{year} item {ref}") if listed else _("{year} bullet {ref}")).format(year=year, ref=ref)


def _year_problems(ledger: Ledger, year: int) -> list[str]:
    tasks = ledger.plan(year)
    problems = []
    listed = [t.listed_no for t in tasks if t.listed_no is not None]
    # a year may have no listed items (plan load without --listed); those it has run 1..N
    gaps = rules.listed_gaps(listed)
    if gaps:
        problems.append(_("{year}: listed items {gaps} are missing (listed numbers must run 1-{last} without gaps)").format(year=year, gaps=", ".join(map(str, gaps)), last=max(listed)))
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
            problems.append(_("{year}: figures for metric #{metric}, which belongs to no task of the year").format(year=year, metric=metric_id))
            continue
        m, label = metrics[metric_id]
        figures = []
        for entry_id, _metric, value, as_of, correction, _void in group:
            problem = rules.value_problem(m, value)
            if problem:
                problems.append(_("{label} entry #{entry} ({date}) {metric}: {problem}").format(label=label, entry=entry_id, date=as_of, metric=m.name, problem=problem))
            else:
                figures.append((entry_id, float(value or 0.0), as_of, correction))
        problems += [f"{label} {p}" for p in rules.falls(m, figures)]
    return problems


def check(ledger: Ledger, heads: tuple[str, ...] = ()) -> list[str]:
    """Every problem: SQLite's integrity and foreign keys, then qdtrack's own rules per year."""
    problems = ledger.integrity_problems()
    try:
        years = ledger.years()
        if not years:
            problems.append(_("the ledger holds no plan year"))
        for year in years:
            problems += _year_problems(ledger, year)
    except EnvironmentFault as e:
        if not problems:
            raise
        problems.append(_("qdtrack's rules could not be checked: {error}").format(error=e))
    return problems + tamper_problems(ledger) + head_problems(ledger, heads)


def parse_heads(heads: tuple[str, ...]) -> tuple[str, ...]:
    """``check --head``: each a chain head as printed (12 hex digits, or more), "history" before it allowed."""
    out = []
    for text in heads:
        words = text.split()
        value = (words[-1] if words else "").lower()
        if not 12 <= len(value) <= 64 or any(c not in "0123456789abcdef" for c in value):
            raise BadInput(_("--head {value!r} is not a history head; give the 12 hex digits a report prints after 'history'").format(value=text))
        out.append(value)
    return tuple(out)


def head_problems(ledger: Ledger, heads: tuple[str, ...]) -> list[str]:
    """A printed head must be a link of the chain: else the history it pinned has been rewritten."""
    problems = []
    for head in heads:
        if ledger.chain_link_of(head) is None:
            message = _("no link of the history chain has the head {head}: the history the report was made from has been rewritten")
            problems.append(message.format(head=head))
    return problems


def fresh_schema() -> dict[tuple[str, str], str]:
    """The tables, indexes, views and triggers of a new ledger of this qdtrack (built in memory)."""
    import sqlite3

    from .migrations import migrations

    with Ledger(sqlite3.connect(":memory:", isolation_level=None), ":memory:") as fresh:
        migrations.apply(fresh.db)
        return fresh.schema_objects()


def schema_problems(ledger: Ledger) -> list[str]:
    """Tables, indexes, views and triggers missing, altered or added compared with a new ledger's."""
    want, have = fresh_schema(), ledger.schema_objects()
    problems = []
    for (kind, name), sql in sorted(want.items()):
        if (kind, name) not in have:
            problems.append(_("the {kind} {name} is missing (dropped outside qdtrack)").format(kind=kind, name=name))
        elif have[(kind, name)] != sql:
            problems.append(_("the {kind} {name} differs from this qdtrack's schema (altered outside qdtrack)").format(kind=kind, name=name))
    for kind, name in sorted(set(have) - set(want)):
        problems.append(_("the {kind} {name} is not part of this qdtrack's schema (added outside qdtrack)").format(kind=kind, name=name))
    return problems


def tamper_problems(ledger: Ledger) -> list[str]:
    """Tamper evidence: the schema as this qdtrack makes it, the history chain, and the plan against its changes."""
    try:
        return schema_problems(ledger) + ledger.chain_problems() + ledger.plan_disagreements()
    except EnvironmentFault as e:
        return [_("the history chain could not be checked: {error}").format(error=e)]


def backup(ledger: Ledger, target: str, force: bool) -> pathlib.Path:
    if not target.strip():
        raise BadInput(_("the backup PATH is empty; give a file path"))
    import pathlib

    ledger.backup_to(target, overwrite=force)
    return pathlib.Path(target)


def restore(backup_file: str, db_path: str | None) -> tuple[pathlib.Path, pathlib.Path | None]:
    """``qdtrack restore``: replace the ledger's content with a verified backup's.

    Returns the ledger's path and where the ledger it replaced is kept (None if there was none).
    The backup is copied, and the copy checked (integrity, a qdtrack schema); the ledger's
    content is then replaced through SQLite under the writers' lock, so a leftover ``-wal``
    is never replayed onto the restored copy.
    """
    import pathlib

    from . import files
    from .dbfile import default_location, explicit_path, remove_new_file
    from .ledger import KNOWN_MIGRATIONS, MIGRATION_SET
    from .ledger.restore import verify_copy

    path = pathlib.Path(explicit_path(db_path) or default_location())
    files.check_ledger_path(path)
    source = files.check_backup_source(backup_file, path)
    copy = files.private_copy(source, path.parent)
    try:
        problem = verify_copy(copy, KNOWN_MIGRATIONS, MIGRATION_SET)
        if problem:
            message = _("{path} is not a usable qdtrack backup: {problem}; nothing was changed")
            raise BadInput(message.format(path=source, problem=problem))
        return path, _install(path, copy)
    finally:
        remove_new_file(copy)


def _install(path: pathlib.Path, copy: pathlib.Path) -> pathlib.Path | None:
    from . import files
    from .ledger.restore import is_damaged

    if not (path.is_file() and path.stat().st_size > 0) or not files.has_sqlite_header(path):
        return _install_file(path, copy)  # missing or not SQLite: SQLite is not let near it (it would drop its -wal)
    try:
        live = Ledger.open(path, create=False)
    except EnvironmentFault:
        if not is_damaged(path):
            raise
        return _install_file(path, copy)
    with live:
        live.attach_copy(copy)
        try:
            with live.write():  # the writers' lock: nobody writes between the kept copy and the restore
                with Ledger.open(path, create=False) as reader:
                    keep = kept_copy(reader)
                live.replace_with_copy()
        finally:
            live.detach_copy()
        live.checkpoint()
    files.fsync_folder(path.parent)
    return keep


def _install_file(path: pathlib.Path, copy: pathlib.Path) -> pathlib.Path | None:
    """A missing or damaged ledger: move it (and its -wal) aside, then rename the copy into place."""
    import os

    from . import files

    keep = files.dated_path(path, datetime.datetime.now(OFFICE_TZ))
    files.give_mode_of(copy, path)  # the ledger's permissions, not the private copy's 0600
    kept = files.move_aside(path, keep)
    try:
        os.replace(copy, path)
    except OSError as err:
        raise EnvironmentFault(_("cannot restore {path}: {reason}").format(path=path, reason=err.strerror or err)) from err
    files.fsync_folder(path.parent)
    return keep if kept else None
