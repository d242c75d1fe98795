"""Read a quarter's 台账 and the year-to-date figures its progress texts state.

Pure: text or table rows in, frozen rows and figure candidates out; the
command that checks rows against the plan and records them lives elsewhere.

* :func:`read_ledger_text` reads the 002 text layout (序号 / 事项内容 / 进展情况).
* :func:`rows_from_table` takes rows already read from xlsx, csv or docx, as
  dicts keyed by the header cells.
* :func:`extract_figures` finds, for each metric of an item, the figure in the
  progress text whose words and unit match it (see ``ingest_figures``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from qdtrack.errors import BadInput
from qdtrack.i18n import _
from qdtrack.ingest_figures import FigureCandidate, MetricSpec, extract_figures
from qdtrack.zhtext import read_table_text

__all__ = [
    "FigureCandidate",
    "LedgerRow",
    "MetricSpec",
    "extract_figures",
    "read_ledger",
    "read_ledger_text",
    "rows_from_table",
    "under_header",
]

HEADERS = ("序号", "事项内容", "进展情况")
MAX_ROWS = 10_000
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell


@dataclass(frozen=True)
class LedgerRow:
    no: int | str  # 序号; in a template for one unit, a task that is no listed item by its ref (1.1.1)
    content: str  # 事项内容, verbatim
    progress: str  # 进展情况, verbatim ('' when the row has none)
    metric: str | None = None  # 指标 of the outgoing template (one row per metric); None: no such column
    figure: str = ""  # 本季度累计 of the template: the metric's year-to-date figure as written


def read_ledger_text(text: str) -> list[LedgerRow]:
    """Rows of a 台账 in the 002 text layout; it must have a 进展情况 column."""
    return read_ledger(text)[0]


def read_ledger(text: str) -> tuple[list[LedgerRow], str]:
    """(rows, title) of a 台账 in the 002 text layout; it must have a 进展情况 column."""
    table = read_table_text(text)
    if "进展情况" not in table.headers:
        raise BadInput(_("the 台账 has no 进展情况 column; give the quarter's progress ledger"))
    rows = [_bounded(LedgerRow(int(r["序号"]), r["事项内容"].strip(), r["进展情况"].strip())) for r in table.rows]
    return rows, table.title


def _bounded(row: LedgerRow) -> LedgerRow:
    """A row within MAX_CELL_CHARS per cell (Excel's own limit): a longer text is no 台账 entry."""
    for column, text in (("事项内容", row.content), ("进展情况", row.progress), ("本季度累计", row.figure)):
        if len(text) > MAX_CELL_CHARS:
            raise BadInput(_("row 序号 {no}: its {column} holds {n:,} characters, more than {limit:,}; shorten it").format(
                no=row.no, column=column, n=len(text), limit=MAX_CELL_CHARS))  # fmt: skip
    return row


def _header(cell: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(cell or "")))


def under_header(source: str, table: Iterable[list[str]], title: list[str] | None = None) -> list[dict[str, object]]:
    """The rows below the first row that names 序号 and 事项内容 (title rows above it skipped), as dicts;
    the title rows' texts are appended to ``title`` when given."""
    header: list[str] | None = None
    out: list[dict[str, object]] = []
    for n, texts in enumerate(table, 1):
        if header is None:
            if {"序号", "事项内容"} <= {_header(t) for t in texts}:
                header = texts
            elif n >= 20:
                break
            elif title is not None:
                title.extend(t for t in texts if t)
            continue
        out.append(dict(zip(header, texts, strict=False)))
    if header is None:
        raise BadInput(_("{source} has no header row naming 序号, 事项内容 and 进展情况 in its first 20 rows").format(source=source))
    return out


def rows_from_table(rows: Iterable[Mapping[str, object]]) -> list[LedgerRow]:
    """Rows of a 台账 read from a table (xlsx, csv, docx): dicts keyed by header cells.

    Headers are matched after NFKC with spaces removed; other columns are ignored, but for
    the template's 指标 and 本季度累计 (``qdtrack export --template``): with them each row
    carries its metric and figure. Blank rows are skipped; a row without a whole-number
    序号 is bad input naming it.
    """
    out: list[LedgerRow] = []
    for i, raw in enumerate(rows, 1):
        if i > MAX_ROWS:
            raise BadInput(_("the 台账 has more than {limit:,} rows; check the file").format(limit=MAX_ROWS))
        row = {_header(k): "" if v is None else str(v).strip() for k, v in raw.items()}
        missing = [h for h in HEADERS if h not in row]
        if missing:
            raise BadInput(
                _("the 台账 has no {columns} column; its headers must include 序号, 事项内容, 进展情况").format(
                    columns="/".join(missing))
            )  # fmt: skip
        if not any(row[h] for h in HEADERS):
            continue
        no = unicodedata.normalize("NFKC", row["序号"]).strip()
        if no.endswith(".0"):  # spreadsheets give whole numbers as floats
            no = no[:-2]
        metric = row["指标"] if "指标" in row and "本季度累计" in row else None
        ref = metric is not None and re.fullmatch(r"[0-9]{1,6}(?:\.[0-9]{1,6}){1,5}", no) is not None
        if not ref and (not re.fullmatch(r"[0-9]{1,6}", no) or int(no) < 1):
            raise BadInput(_("row {n} of the 台账 has 序号 {no!r}; give a whole number from 1").format(n=i, no=row["序号"]))
        if not row["事项内容"]:
            raise BadInput(_("row {n} of the 台账 (序号 {no}) has no 事项内容; fill it in").format(n=i, no=no))
        figure = row["本季度累计"] if metric is not None else ""
        out.append(_bounded(LedgerRow(no if ref else int(no), row["事项内容"], row["进展情况"], metric, figure)))
    return out
