"""Import entries from a spreadsheet or an export; export the plan and its history.

Reading files is ``sheets.py``'s job; checking a row ``exchange_check.py``'s (the rules of
``qdtrack update``, against the ledger and the rows above it); writing an export
``exchange_export.py``'s; the plan's own history ``exchange_history.py``'s. An import is
all or nothing in ONE write transaction: every bad row (up to 20) is reported and nothing is
recorded; ``--dry-run`` checks everything and rolls back. Rows whose identity (uid) the
ledger already has are skipped, so importing an export twice adds nothing the second time.
Every import is recorded in the ledger's import record (who, when, file, counts). No SQL here.

At scale (issue 14) the file is streamed: a first pass raises whatever makes it unusable
(``sheets_stream``), then each row is checked against the running state and the good ones are
written ``BATCH`` at a time inside that one transaction, so memory holds a batch, not the file;
a bad row stops the writing and the transaction is rolled back as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import recording
from .errors import BadInput
from .exchange_check import Context, Imported, RowError, Running, check_row, known_uid
from .exchange_export import export, value_text
from .i18n import _, current_language, format_quarter, ngettext
from .ledger import Ledger
from .milestones import split_nodes
from .periods import now_iso, today
from .progressbar import Progress
from .quantity import format_quantity
from .sheets_file import shown
from .sheets_stream import Rows, open_rows
from .texts import STATUS_WORDS

MAX_REPORTED = 20  # bad rows named before an import gives up
BATCH = 2000  # entries written at a time (memory: a batch, not the file)


class ImportErrors(BadInput):
    """Several bad rows: ``problems`` holds one line for each (the first MAX_REPORTED)."""

    def __init__(self, file: str, problems: list[str], more: bool) -> None:
        self.problems = problems
        n = f"{len(problems)}+" if more else str(len(problems))
        super().__init__(_("{n} rows of {file} are wrong (listed above); nothing was recorded").format(n=n, file=file))


@dataclass
class ImportResult:
    year: int
    recorded: int = 0  # entries recorded (or, in a dry run, that would be)
    added: list[Imported] = field(default_factory=list)  # those entries, kept in a dry run only (describe)
    skipped: int = 0  # rows the ledger already had (same uid)
    blank: int = 0  # template rows left empty
    plan_added: int = 0  # plan changes and milestones replayed from an export
    milestones: list[tuple[str, datetime.date, str]] = field(default_factory=list)  # (item, due, text) added
    doubts: list[tuple[int, str, str]] = field(default_factory=list)  # (row, item, 时间节点 text not read)


def _milestones(ctx: Context, item: Imported, cell: str | None, result: ImportResult) -> None:
    """Add the milestones a 时间节点 cell names that the task does not have yet; list the rest for review."""
    if not cell:
        return
    nodes, doubts = split_nodes(cell, ctx.year)
    result.doubts += [(item.row, item.task.ref, d) for d in doubts]
    have = {(m.due, m.text) for m in item.task.milestones} | {(d, t) for r, d, t in result.milestones if r == item.task.ref}
    for due, text in nodes:
        if (due, text) not in have:
            ctx.ledger.add_milestone(item.task, due, text, ctx.at, ctx.by, f"import {ctx.file} row {item.row}")
            result.milestones.append((item.task.ref, due, text))
            have.add((due, text))


class _Batches:
    """The rows checked so far, written a batch at a time inside the import's transaction: a row
    is held only until its batch is written (``dry_run`` keeps them all, for ``describe``)."""

    def __init__(self, ledger: Ledger, result: ImportResult, dry_run: bool) -> None:
        self.ledger, self.result, self.dry_run = ledger, result, dry_run
        self.pending: list[Imported] = []

    def add(self, item: Imported) -> None:
        self.pending.append(item)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert the pending entries, then their withdrawals (by uid), in row order."""
        items, self.pending = self.pending, []
        self.ledger.insert_entries([i.entry for i in items])
        self.ledger.put_voids([(i.entry["uid"], *i.withdrawn) for i in items if i.withdrawn])
        self.result.recorded += len(items)
        if self.dry_run:
            self.result.added += items


def _check_all(ctx: Context, rows: Rows, result: ImportResult, batches: _Batches, bar: Progress) -> None:
    """Check every row in order against the running state; the good ones go to ``batches`` until
    the first bad row (then nothing more is written and the transaction is rolled back)."""
    problems: list[str] = []
    template = rows.template
    for n, v in rows:
        bar.advance()
        if template and all(v.get(k) is None for k in ("value", "increment", "note", "status", "milestones")):
            result.blank += 1
            continue
        if known_uid(ctx, v):
            result.skipped += 1
            continue
        try:
            item = check_row(ctx, n, v)
        except BadInput as e:
            problems.append(str(e))
            if len(problems) > MAX_REPORTED:
                break
            continue
        if item is None:
            result.skipped += 1
        elif not problems:
            if v.get("milestones"):
                _milestones(ctx, item, v.get("milestones"), result)
            if item.entry:
                batches.add(item)
    if len(problems) == 1:
        raise BadInput(problems[0])
    if problems:
        raise ImportErrors(ctx.file, problems[:MAX_REPORTED], len(problems) > MAX_REPORTED)
    batches.flush()


def _file_year(ledger: Ledger, first: dict[str, str | None] | None) -> int | None:
    """The plan year the file's first dated row belongs to, when the ledger holds it (else the default)."""
    text = ((first or {}).get("quarter") or (first or {}).get("as_of") or "").strip()
    if text[:4].isdigit() and int(text[:4]) in ledger.years():
        return int(text[:4])
    return None


def import_file(ledger: Ledger, file: str, year: int | None, by: str | None, dry_run: bool) -> ImportResult:
    """Record every new row of ``file`` or none; with ``dry_run`` check them all and record none."""
    from .exchange_history import read_history, replay

    rows = open_rows(file)  # the first pass: anything that makes the file unusable is raised here
    if rows.unreadable:
        raise BadInput(rows.unreadable[0]) if len(rows.unreadable) == 1 else ImportErrors(file, rows.unreadable[:MAX_REPORTED], len(rows.unreadable) > MAX_REPORTED)  # fmt: skip
    history = read_history(file)
    importer = recording.who(by)  # a bad --by is the command's fault, not a row's
    y = ledger.resolve_year(year if year is not None else _file_year(ledger, rows.first), today())
    result = ImportResult(y)

    class DryRun(Exception):
        pass

    ledger.for_bulk_insert()  # before the transaction: SQLite changes temp_store only outside one
    try:
        with Progress(rows.count, _("importing {file}").format(file=shown(file))) as bar, ledger.write():
            tasks = ledger.plan(y)  # inside the transaction: the rules judge the plan in force
            ledger.fill_uids()
            ctx = Context(ledger, tasks, y, file, importer, today(), now_iso(), Running(ledger), set(ledger.entry_uids(None)))
            _check_all(ctx, rows, result, _Batches(ledger, result, dry_run), bar)
            result.plan_added = replay(ledger, tasks, y, history, file)
            counts = (result.recorded, result.skipped, result.plan_added + len(result.milestones))
            ledger.record_import(y, file, counts, ctx.at, importer, f"import {file}")
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return result


def describe(planned: Sequence[Imported]) -> list[str]:
    """One line per entry, for --dry-run."""
    lines = []
    for p in planned:
        r, t = p.entry, p.task
        head = _("row {row}: {ref} {quarter}").format(row=p.row, ref=t.ref, quarter=format_quarter(r["quarter"]))
        parts = [head + (_(" (as of {date})").format(date=r["on_date"]) if r["on_date"] else "")]
        if r["metric_id"] is not None:
            m = next(m for m in t.metrics if m.id == r["metric_id"])
            parts.append(f"{m.name} = {format_quantity(r['value'], m.unit)}")
        if r["status"]:
            parts.append(_("status {status}").format(status=STATUS_WORDS[current_language()].get(r["status"], r["status"])))
        if r["correction"]:
            parts.append(_("correction"))
        if r["note"]:
            parts.append(_("note: {text}").format(text=" ".join(r["note"].split())[:60]))
        if p.withdrawn:
            parts.append(_("withdrawn"))
        lines.append("; ".join(parts))
    return lines


def summary(result: ImportResult, file: str, dry_run: bool) -> list[str]:
    """What an import did (or would do), for stderr."""
    n = result.recorded
    if dry_run:
        lines = [ngettext("would record {n} entry from {file} (dry run: nothing written)",
                          "would record {n} entries from {file} (dry run: nothing written)", n).format(n=n, file=file)]  # fmt: skip
    else:
        lines = [ngettext("recorded {n} entry from {file}", "recorded {n} entries from {file}", n).format(n=n, file=file)]
    if result.skipped:
        lines.append(ngettext("skipped {n} row the ledger already has", "skipped {n} rows the ledger already has", result.skipped).format(n=result.skipped))  # fmt: skip
    if result.blank:
        lines.append(ngettext("{n} row left blank", "{n} rows left blank", result.blank).format(n=result.blank))
    if result.plan_added:
        lines.append(ngettext("{n} change to the plan replayed", "{n} changes to the plan replayed", result.plan_added).format(n=result.plan_added))  # fmt: skip
    for ref, due, text in result.milestones:
        lines.append(_("item {ref}: milestone due {due} {text}").format(ref=ref, due=due.isoformat(), text=text))
    for row, ref, text in result.doubts:
        lines.append(_("row {row}, item {ref}: milestone not read, left for review: {text}").format(row=row, ref=ref, text=text))
    return lines


__all__ = ["ImportErrors", "ImportResult", "RowError", "describe", "export", "import_file", "summary", "value_text"]
