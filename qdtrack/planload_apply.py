"""``qdtrack plan load``: read the documents, lay out the plan year, write it in one transaction.

Refuses a year the ledger already holds unless ``replace``; refuses to replace a year
that has entries (history is append-only) or plan edits tied to its tasks; takes a dated
backup before any replace. ``dry_run`` reads and lays out everything and writes nothing.
"""

from __future__ import annotations

import datetime
import pathlib
from dataclasses import dataclass

from qdtrack import recording
from qdtrack.errors import BadInput
from qdtrack.i18n import _
from qdtrack.ledger import Ledger
from qdtrack.periods import OFFICE_TZ, now_iso
from qdtrack.planload import link, parse_listed, parse_report
from qdtrack.planload_drafts import DocumentRow
from qdtrack.planload_files import read_document
from qdtrack.planload_files import stem as _stem
from qdtrack.planload_place import Placed, place
from qdtrack.zhtext import read_table_text


@dataclass(frozen=True)
class Loaded:
    placed: Placed
    written: bool
    replaced: bool
    backup: pathlib.Path | None


def draft(report_file: str, listed_file: str | None, year: int) -> Placed:
    """The plan year the two documents describe, with every doubt; nothing is written."""
    if not 2000 <= year <= 2100:
        raise BadInput(_("--year {year} is out of range; give a year such as 2026").format(year=year))
    report = parse_report(read_document(report_file), year)
    docs = [
        DocumentRow(
            _stem(report_file), report.title or _stem(report_file), report.published, "\n".join(report.front_matter)
        )
    ]
    listed = []
    if listed_file is not None:
        text = read_document(listed_file)
        listed = parse_listed(text)
        table = read_table_text(text)
        front = "\n".join([table.title, *table.headers])
        docs.append(DocumentRow(_stem(listed_file), table.title or _stem(listed_file), None, front))
    return place(report, listed, link(report, listed), tuple(docs))


def _check_replace(ledger: Ledger, year: int, replace: bool) -> None:
    if year not in ledger.years():
        return
    if not replace:
        raise BadInput(_("the ledger already holds plan year {year}; add --replace to load it again").format(year=year))
    entries, done, edits = ledger.year_use(year)
    if entries or done:
        raise BadInput(
            _("plan year {year} has {n} entries already; history is append-only, so its plan cannot be replaced "
              "(edit it with qdtrack plan set / plan milestone)").format(year=year, n=entries + done)
        )  # fmt: skip
    if edits:
        raise BadInput(
            _("plan year {year} has {n} plan edits tied to its tasks (baselines, milestones); "
              "the plan cannot be replaced without losing them").format(year=year, n=edits)
        )  # fmt: skip


def _backup(ledger: Ledger) -> pathlib.Path:
    stamp = datetime.datetime.now(OFFICE_TZ).strftime("%Y%m%d-%H%M%S")
    keep = ledger.path.with_name(f"{ledger.path.name}.{stamp}.bak")
    ledger.backup_to(keep)
    return keep


def load_plan(
    ledger: Ledger,
    report_file: str,
    listed_file: str | None,
    year: int,
    *,
    replace: bool = False,
    dry_run: bool = False,
    by: str | None = None,
    source: str = "qdtrack plan load",
) -> Loaded:
    """Read, lay out and (unless ``dry_run``) write plan year ``year`` in one write transaction."""
    who = recording.who(by)  # a dry run refuses what the real run would refuse
    placed = draft(report_file, listed_file, year)
    _check_replace(ledger, year, replace)
    if dry_run:
        return Loaded(placed, False, year in ledger.years(), None)
    replacing = year in ledger.years()
    keep = _backup(ledger) if replacing else None
    files = " + ".join(pathlib.PurePath(f).name for f in (report_file, listed_file) if f)
    change = ("plan replaced from " if replacing else "plan loaded from ") + files
    with ledger.write():
        _check_replace(ledger, year, replace)  # again inside the transaction: nobody wrote since
        if replacing:
            ledger.clear_plan_year(year)
        ledger.insert_plan_year(placed.rows, change, now_iso(), who, source)
    return Loaded(placed, True, replacing, keep)
