"""The outgoing template read back by ``ingest``: one row per metric, rows of one item merged.

``qdtrack export --template`` writes a row per metric (an item with two metrics has two
rows with the same 序号), with the columns 指标 and 本季度累计. Read back, the rows of one
序号 are one item: the same 事项内容 (else the duplicate row is refused, as in any 台账),
one 进展情况 (the first non-empty; two different ones are refused), and per metric the
figure its 本季度累计 cell gives, in the metric's unit (see the README, "The year").
Pure: rows in, items and figure candidates out; no SQL, no writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from qdtrack import recording
from qdtrack.errors import BadInput
from qdtrack.i18n import _
from qdtrack.ingest import FigureCandidate, LedgerRow, MetricSpec
from qdtrack.model import Metric, Task
from qdtrack.quantity import parse_quantity
from qdtrack.zhtext import compare_key

SURE = "sure"
COLUMN = "本季度累计"


@dataclass(frozen=True)
class Item:
    """One 序号 of the 台账: its row (the item's note in ``progress``) and its (指标, 本季度累计) cells."""

    row: LedgerRow
    cells: tuple[tuple[str, str], ...] = ()


def _twice(no: int | str) -> BadInput:
    return BadInput(_("row 序号 {no} appears twice in the 台账; keep one").format(no=no))


def _merge(item: Item, row: LedgerRow) -> Item:
    """``item`` with another of its template rows: same 事项内容, at most one 进展情况."""
    first = item.row
    if compare_key(row.content) != compare_key(first.content):
        raise _twice(row.no)
    note = first.progress
    if row.progress and note and compare_key(row.progress) != compare_key(note):
        raise BadInput(
            _("row 序号 {no}: its rows give two different 进展情况; write the item's progress once, in one of its "
              "rows").format(no=row.no))  # fmt: skip
    merged = LedgerRow(first.no, first.content, note or row.progress, first.metric, first.figure)
    return Item(merged, item.cells + _cells(row))


def _cells(row: LedgerRow) -> tuple[tuple[str, str], ...]:
    return ((row.metric or "", row.figure),) if row.figure else ()


def group_rows(rows: list[LedgerRow]) -> list[Item]:
    """The 台账's items in order. A 序号 given twice is refused, except in the template (rows
    with a 指标 column), where the rows of one 序号 are the metrics of one item."""
    items: dict[int | str, Item] = {}
    for row in rows:
        if row.no not in items:
            items[row.no] = Item(row, _cells(row))
        elif row.metric is None:
            raise _twice(row.no)
        else:
            items[row.no] = _merge(items[row.no], row)
    return list(items.values())


def _metric(no: int | str, task: Task, text: str) -> Metric:
    """The metric a template row's 指标 names ('' for an item's only metric)."""
    names = "、".join(m.name for m in task.metrics)
    if not task.metrics:
        raise BadInput(_("row 序号 {no}: item {no} has no numeric target; leave {column} empty and write its "
                         "progress in 进展情况").format(no=no, column=COLUMN))  # fmt: skip
    if not text:
        if len(task.metrics) == 1:
            return task.metrics[0]
        raise BadInput(_("row 序号 {no}: a {column} figure without its 指标; item {no} has the metrics {names}").format(
            no=no, column=COLUMN, names=names))  # fmt: skip
    for m in task.metrics:
        if compare_key(text) in (compare_key(m.name), str(m.pos)):
            return m
    raise BadInput(_("row 序号 {no}: item {no} has no metric {metric!r}; its metrics are {names}").format(
        no=no, metric=text, names=names))  # fmt: skip


def _value(no: int | str, metric: Metric, text: str) -> float:
    """A 本季度累计 cell in the metric's unit: a bare number counts the metric's unit (亿元 for money)."""
    try:
        return recording.figure(parse_quantity(text), text, metric, COLUMN, strict_units=False)
    except BadInput as e:
        raise BadInput(_("row 序号 {no}: {problem}; nothing was recorded").format(no=no, problem=e)) from None


def cell_figures(item: Item, task: Task, specs: list[MetricSpec]) -> list[FigureCandidate]:
    """The figures the item's 本季度累计 cells give, one per metric, each ``sure``."""
    out: dict[int, FigureCandidate] = {}
    for name, text in item.cells:
        metric = _metric(item.row.no, task, name)
        value = _value(item.row.no, metric, text)
        if metric.id in out and out[metric.id].value != value:
            raise BadInput(_("row 序号 {no}: {metric} is given twice ({a}, {b}); keep one").format(
                no=item.row.no, metric=metric.name, a=out[metric.id].phrase, b=f"{COLUMN} {text}"))  # fmt: skip
        spec = next(s for s in specs if s.key == str(metric.id))
        out[metric.id] = FigureCandidate(spec, value, f"{COLUMN} {text}", SURE, _("given in the {column} column").format(column=COLUMN))
    return list(out.values())
