"""``qdtrack ingest``: a quarter's 台账 checked against the plan, reviewed, and recorded all-or-nothing.

Each row's 序号 and 事项内容 must be the plan's listed item (a mismatch is an error
naming the row). Its 进展情况 becomes the item's note for the quarter; the figures
``ingest_figures`` is sure of are recorded as year-to-date values at the quarter's
end, through ``recording.plan_entry`` (the rules ``update`` uses) inside ONE write
transaction. Unsure figures are shown for review and never recorded. What the ledger
already holds for the quarter (the same note, the same figure) is not recorded twice.
The outgoing template (``export --template``: a row per metric, 指标 and 本季度累计) is read
as its items (``ingest_template``): a filled 本季度累计 is that metric's figure, sure.
"""

from __future__ import annotations

import datetime
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass

from qdtrack import recording, rules
from qdtrack.errors import BadInput
from qdtrack.i18n import _, format_date, format_quarter
from qdtrack.ingest import (
    FigureCandidate,
    LedgerRow,
    MetricSpec,
    extract_figures,
    read_ledger,
    rows_from_table,
    under_header,
)
from qdtrack.ingest_template import COLUMN, Item, cell_figures, group_rows
from qdtrack.ingest_title import title_quarter, title_year
from qdtrack.ledger import Ledger
from qdtrack.model import Metric, Note, Task
from qdtrack.periods import Quarter, parse_quarter, today
from qdtrack.progressbar import Progress
from qdtrack.quantity import format_quantity
from qdtrack.render import one_line
from qdtrack.zhtext import compare_key

SURE = "sure"


@dataclass(frozen=True)
class Reviewed:
    """One figure found in a row's progress text, and what will happen to it."""

    row: int | str  # 序号 (a task's ref in a template for one unit)
    task: Task
    metric: Metric
    value: float
    phrase: str
    confidence: str  # sure | unsure
    reason: str
    recorded: bool  # a sure figure not already in the ledger: it will be recorded


@dataclass(frozen=True)
class Review:
    year: int
    quarter: Quarter
    notes: tuple[tuple[int | str, Task, str], ...]  # (序号, task, progress text) to record
    figures: tuple[Reviewed, ...]
    unchanged: int  # notes and figures the ledger already holds for the quarter
    covered: tuple[int | str, ...] = ()  # items tracked through their listed parts: nothing is recorded for them
    notices: tuple[str, ...] = ()  # what the reader should know (a title naming another year)

    @property
    def to_record(self) -> list[Reviewed]:
        return [f for f in self.figures if f.recorded]


_OTHER_FORMATS = (".doc", ".xls", ".xlsm", ".et", ".wps", ".pdf", ".odt", ".ods", ".rtf", ".zip")


def read_ledger_file(file: str) -> tuple[list[LedgerRow], str]:
    """(rows, title) of a 台账: text in the 002 layout, .xlsx or .csv with 序号/事项内容/进展情况, or .docx.
    The title is the text above the table (the file's heading), '' when it has none."""
    ext = pathlib.PurePath(file).suffix.lower()
    if ext in _OTHER_FORMATS:
        from qdtrack.sheets import shown

        raise BadInput(_("{name}: qdtrack cannot read {ext} files; save the 台账 as .docx, .xlsx, .csv or plain "
                         "text").format(name=shown(file), ext=ext))  # fmt: skip
    title: list[str] = []
    if ext in (".xlsx", ".csv"):
        rows = rows_from_table(_table_rows(file, ext, title))
    elif ext == ".docx":
        from qdtrack.ingest_docx import docx_rows

        rows = rows_from_table(docx_rows(file, title))
    else:
        from qdtrack.planload_files import read_document

        rows, heading = read_ledger(read_document(file))
        title.append(heading)
    if not rows:
        raise BadInput(_("the 台账 has no rows under its header; give at least one row"))
    return rows, " ".join(title)


def _table_rows(file: str, ext: str, title: list[str]) -> list[dict[str, object]]:
    from qdtrack.planload_files import read_data
    from qdtrack.sheets import MAX_FILE_BYTES, csv_table, xlsx_table

    name, data = read_data(file, limit=MAX_FILE_BYTES)
    table = csv_table(data, name) if ext == ".csv" else xlsx_table(data, name)

    def texts() -> Iterator[list[str]]:
        for n, row in enumerate(table, 1):
            problems = [p for _text, p in row if p]
            if problems:
                raise BadInput(_("{name} row {n}: {problem}").format(name=name, n=n, problem=problems[0]))
            yield ["" if text is None else text for text, _problem in row]

    return under_header(name, texts(), title)


def _check_title(title: str, q: Quarter, year: int) -> tuple[str, ...]:
    """Refuse a 台账 whose title names another quarter; say so when it names another year."""
    said = title_quarter(title)
    if said is not None and said != q.q:
        raise BadInput(_("the 台账's title names quarter {said} ({title}), not {quarter}; give the --quarter it "
                         "reports").format(said=said, title=one_line(title)[:60], quarter=format_quarter(q)))  # fmt: skip
    named = title_year(title)
    if named is not None and named != year:
        return (_("note: the 台账's title names {named} ({title}); its figures are recorded for {quarter}").format(
            named=named, title=one_line(title)[:60], quarter=format_quarter(q)),)  # fmt: skip
    return ()


def _check_row(row: LedgerRow, tasks: dict[int | str, Task], year: int) -> Task:
    """The plan's task for a row: a listed item by its number, or (in a template for one unit) a
    task by its ref (1.1.1); its 事项内容 must be the item's (the task's) wording."""
    task = tasks.get(row.no)
    if task is None and isinstance(row.no, str):
        raise BadInput(_("row 序号 {no}: the plan of {year} has no task {no}; check that the 台账 is {year}'s").format(
            no=row.no, year=year))  # fmt: skip
    if task is None:
        raise BadInput(
            _("row 序号 {no}: the plan of {year} has no listed item {no}; check that the 台账 is {year}'s").format(
                no=row.no, year=year
            )
        )
    want = (task.listed_text if isinstance(row.no, int) else task.title) or ""
    if compare_key(row.content) != compare_key(want):
        raise BadInput(
            _("row 序号 {no}: 事项内容 {got!r} is not the plan's listed item {no} ({want!r}); check the 台账").format(
                no=row.no, got=row.content[:40], want=want[:40]
            )
        )
    return task


def _specs(task: Task) -> list[MetricSpec]:
    text = task.listed_text or task.text or ""
    return [MetricSpec(str(m.id), m.name, m.unit, m.target, m.kind, m.target_text, text) for m in task.metrics]


def _reviewed(ledger: Ledger, row: LedgerRow, task: Task, c: FigureCandidate, q: Quarter) -> Reviewed:
    metric = next(m for m in task.metrics if str(m.id) == c.metric.key)
    if c.confidence != SURE:
        return Reviewed(row.no, task, metric, c.value, c.phrase, c.confidence, c.reason, False)
    if _figure_there(ledger, q, metric, c.value):
        return Reviewed(row.no, task, metric, c.value, c.phrase, SURE, _("already recorded"), False)
    earlier = ledger.figure_before(metric.id, q.end)
    later = ledger.lowest_after(metric.id, q.end)
    conflict = rules.ytd_conflict(
        metric,
        c.value,
        earlier.value if earlier else None,
        later.value if later else None,
        earlier.as_of if earlier else None,
        later.as_of if later else None,
    )
    if conflict:
        return Reviewed(row.no, task, metric, c.value, c.phrase, "unsure", conflict, False)
    return Reviewed(row.no, task, metric, c.value, c.phrase, SURE, c.reason, True)


def review(ledger: Ledger, rows: list[LedgerRow], quarter: str, year: int | None, title: str = "") -> Review:
    """Check every row against the plan and read its figures; nothing is written."""
    q = parse_quarter(quarter, default_year=year if year is not None else ledger.resolve_year(None, today()))
    y = ledger.resolve_year(year if year is not None else q.year)
    if q.year == y and q.end > today():
        raise BadInput(_("{quarter} has not ended yet (it ends {end}); ingest its 台账 once the quarter is over").format(
            quarter=format_quarter(q), end=format_date(q.end)))  # fmt: skip
    recording.entry_date(str(q), None, y, today())  # a quarter of the plan year that has ended
    said = _check_title(title, q, y)
    plan = ledger.plan(y)
    tasks: dict[int | str, Task] = {t.ref: t for t in plan if t.listed_no is None}
    tasks.update({t.listed_no: t for t in plan if t.listed_no is not None})
    facts = ledger.facts(y, q.end)
    notes: list[tuple[int | str, Task, str]] = []
    figures: list[Reviewed] = []
    unchanged = 0
    covered: list[int | str] = []
    items = group_rows(rows)
    with Progress(len(items), _("checking the 台账")) as bar:
        for item in items:
            bar.advance()
            row = item.row
            task = _check_row(row, tasks, y)
            if task.covered_by_parts:
                covered.append(row.no)
                continue
            if row.progress:
                old = facts.notes.get(task.id)
                if _same_note(old, q, row.progress):
                    unchanged += 1
                else:
                    notes.append((row.no, task, row.progress))
            figures += _item_figures(ledger, item, task, q)
    unchanged += sum(1 for f in figures if f.confidence == SURE and not f.recorded)
    return Review(y, q, tuple(notes), tuple(figures), unchanged, tuple(covered), said)


def _item_figures(ledger: Ledger, item: Item, task: Task, q: Quarter) -> list[Reviewed]:
    """The template's 本季度累计 figures (sure; one that breaks the year's rules is refused), then
    the figures of the progress text for the metrics without one."""
    specs = _specs(task)
    out = []
    given = cell_figures(item, task, specs)
    for c in given:
        found = _reviewed(ledger, item.row, task, c, q)
        if found.confidence != SURE:
            raise BadInput(_("row 序号 {no}: {column} for {metric}: {problem}; correct the figure, or record a "
                             "correction with qdtrack update --correct").format(
                no=item.row.no, column=COLUMN, metric=found.metric.name, problem=found.reason))  # fmt: skip
        out.append(found)
    cells = {c.metric.key for c in given}
    for c in extract_figures(item.row.progress, specs, q.q):
        if c.metric.key not in cells:
            out.append(_reviewed(ledger, item.row, task, c, q))
    return out


@dataclass(frozen=True)
class Recorded:
    ids: list[int]  # the entries written, in order
    notes: int
    figures: int
    meanwhile: int  # notes and figures another qdtrack recorded between the review and this write


def _same_note(old: Note | None, q: Quarter, text: str) -> bool:
    """The ledger's latest note for a task already is the quarter's ``text``."""
    return old is not None and old.as_of == q.end and old.text == text


def _note_there(ledger: Ledger, year: int, q: Quarter, task: Task, text: str) -> bool:
    return _same_note(ledger.facts(year, q.end, task_id=task.id).notes.get(task.id), q, text)


def _figure_there(ledger: Ledger, q: Quarter, metric: Metric, value: float) -> bool:
    earlier = ledger.figure_before(metric.id, q.end)
    return earlier is not None and earlier.as_of == q.end and abs(earlier.value - value) < 1e-9


def record(ledger: Ledger, plan: Review, by: str | None, source: str) -> Recorded:
    """Record the notes and the sure figures in one write transaction; all or nothing.

    Inside the transaction each one is looked for again: the review ran before it, and a note or
    figure another qdtrack recorded meanwhile (the same 台账 ingested twice at once) is not
    recorded a second time."""
    ids: list[int] = []
    notes = figures = meanwhile = 0
    day, q = today(), plan.quarter
    with Progress(len(plan.notes) + len(plan.to_record), _("recording the 台账")) as bar, ledger.write():
        for no, task, text in plan.notes:
            bar.advance()
            if _note_there(ledger, plan.year, q, task, text):
                meanwhile += 1
                continue
            change = recording.Change(task.ref, note=text, quarter=str(q), by=by, source=source)
            ids.append(_insert(ledger, no, task, plan.year, change, day))
            notes += 1
        for f in plan.to_record:
            bar.advance()
            if _figure_there(ledger, q, f.metric, f.value):
                meanwhile += 1
                continue
            value = format_quantity(f.value, f.metric.unit)
            change = recording.Change(
                f.task.ref, value=value, metric=str(f.metric.pos), quarter=str(q), by=by, source=source,
                strict_units=False,
            )  # fmt: skip
            ids.append(_insert(ledger, no=f.row, task=f.task, year=plan.year, change=change, day=day))
            figures += 1
    return Recorded(ids, notes, figures, meanwhile)


def _insert(ledger: Ledger, no: int | str, task: Task, year: int, change: recording.Change, day: datetime.date) -> int:
    try:
        planned = recording.plan_entry(task, year, change, day, ledger)
    except BadInput as e:
        raise BadInput(_("row 序号 {no}: {problem}; nothing was recorded").format(no=no, problem=e)) from None
    return ledger.insert_entry(planned.row)
