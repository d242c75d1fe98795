"""Open an .xlsx workbook without trusting it, and yield its cells as plain facts.

Before openpyxl sees the bytes: the zip's central directory, member count and
unpacked size are bounded; every XML part must be UTF-8, must not declare a
DTD or entities (openpyxl parses with the standard library, which would expand
them: defusedxml is not a dependency), and is streamed once through a pull
parser that bounds nesting depth, cells per row, rows and shared strings and
finds broken XML. Then openpyxl reads it read-only, twice: once for the saved
results (``data_only=True``) and once to tell formulas from empty cells.
Leaf module: it knows nothing of update columns; ``sheets`` turns facts into text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, overload
from xml.etree import ElementTree

from .errors import BadInput
from .files import zip_directory
from .i18n import N_, _

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all parts of a workbook, unpacked
MAX_MEMBERS = 2_000  # parts in the zip
MAX_CENTRAL_DIRECTORY = 1024 * 1024  # bytes of the zip's table of contents
MAX_XML_DEPTH = 64
MAX_SHARED_STRINGS = 1_000_000
MAX_CHILDREN = 100_000  # children of any other XML element (styles, merges …)

FORMULA = "formula"  # a formula cell without a saved result
ERROR = "error"  # a cell whose saved result is an error (#DIV/0!, #REF! …)
VALUE = "value"
Fact = tuple[Any, str, str]  # (value, number format, kind)

_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([^"']*)["']""")
_UTF8 = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def _refuse(source: str, why: str, fix: str = N_("save it again from Excel or LibreOffice as .xlsx")) -> BadInput:
    return BadInput(_("cannot import {source}: {why}; {fix}").format(source=source, why=why, fix=_(fix)))


def check_zip(data: bytes, source: str) -> None:
    """Bound the zip's table of contents before zipfile reads it (a small file may list a million parts)."""
    directory = zip_directory(data)
    if directory is None:
        raise _refuse(source, _("not a readable .xlsx workbook (it is not a zip file)"))
    entries, cd_size, zip64 = directory
    if zip64:
        raise _refuse(source, _("the workbook uses ZIP64, which a sheet of updates never needs"))
    if entries > MAX_MEMBERS or cd_size > MAX_CENTRAL_DIRECTORY:
        raise _refuse(source, _("the workbook lists {n:,} parts, more than {limit:,}").format(n=entries, limit=MAX_MEMBERS))


def printable(text: str) -> str:
    """One line of printable text (no control characters from the file reach a terminal)."""
    return "".join(c if c.isprintable() else " " for c in text).strip()


def shown_part(name: str) -> str:
    return printable(name)[:80]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_limit(parent: str, max_rows: int, max_columns: int) -> int:
    """How many children an element may have (asked per element: no message built here)."""
    if parent == "row":
        return max_columns
    if parent == "sheetData":
        return max_rows
    return MAX_SHARED_STRINGS if parent == "sst" else MAX_CHILDREN


def _child_problem(parent: str, limit: int) -> str:
    """What is wrong with an element over its limit, in the reader's language."""
    if parent == "row":
        return _("a row has more than {n:,} cells; delete the unused columns").format(n=limit)
    if parent == "sheetData":
        return _("a sheet has more than {n:,} rows; split it into smaller files").format(n=limit)
    if parent == "sst":
        return _("it holds more than {n:,} different texts").format(n=limit)
    return _("an XML element has more than {n:,} parts").format(n=limit)


def _check_head(head: bytes, part: str, source: str) -> None:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"<" in head[:4] and b"\x00" in head[:4]):
        raise _refuse(source, _("its part {part} is not UTF-8 XML").format(part=shown_part(part)))
    m = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(1).lower() not in _UTF8:
        raise _refuse(
            source, _("its part {part} declares the encoding {encoding}").format(part=shown_part(part), encoding=m.group(1).decode("ascii", "replace")[:20])
        )


def _scan_part(first: bytes, stream: IO[bytes], part: str, source: str, limits: tuple[int, int]) -> None:
    """Stream one XML part: no DTD or entities, bounded depth and children, well-formed."""
    _check_head(first[:200], part, source)
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(events=("start", "end"))
    elems: list[ElementTree.Element] = []
    counts: list[int] = []
    tail = b""
    chunk = first
    while chunk:
        window = (tail + chunk).lower()
        if b"<!doctype" in window or b"<!entity" in window:
            raise _refuse(
                source, _("its part {part} declares a DTD or entities, which a workbook never needs").format(part=shown_part(part))
            )
        tail = chunk[-16:]
        parser.feed(chunk)
        events: Iterator[Any] = parser.read_events()
        for event, elem in events:
            if event == "start":
                if len(elems) >= MAX_XML_DEPTH:
                    raise _refuse(
                        source, _("its part {part} is nested more than {n} levels deep").format(part=shown_part(part), n=MAX_XML_DEPTH)
                    )
                if elems:
                    counts[-1] += 1
                    parent = _local(elems[-1].tag)
                    limit = _child_limit(parent, *limits)
                    if counts[-1] > limit:
                        raise _refuse(source, _child_problem(parent, limit), N_("copy the data into a new workbook"))
                elems.append(elem)
                counts.append(0)
            else:
                elems.pop()
                counts.pop()
                if elems:
                    del elems[-1][-1]  # the element that just ended is its parent's last child
        chunk = stream.read(1 << 16)
    parser.close()


def scan_parts(zf: zipfile.ZipFile, source: str, max_rows: int, max_columns: int) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(source, _("the workbook has {n:,} parts, more than {limit:,}").format(n=len(infos), limit=MAX_MEMBERS))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise _refuse(source, _("it unpacks to {n:,} bytes, more than {limit:,}").format(n=total, limit=MAX_UNZIPPED_BYTES), N_("split it"))
    for info in infos:
        with zf.open(info) as stream:  # zipfile stops at the declared size and checks the CRC
            first = stream.read(1 << 16)
            if first.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] != b"<" and first[:2] not in (b"\xff\xfe", b"\xfe\xff"):
                while stream.read(1 << 16):  # not XML (an image, printer settings): only its CRC is checked
                    pass
                continue
            try:
                _scan_part(first, stream, info.filename, source, (max_rows, max_columns))
            except ElementTree.ParseError as e:
                raise _refuse(source, _("its part {part} is broken XML ({error})").format(part=shown_part(info.filename), error=e)) from None


def _sheet(wb: Any, wanted: Sequence[str] = ("更新", "updates"), fallback: bool = True) -> Any:
    """The first sheet named in ``wanted``, else the first sheet (``fallback``), else None."""
    names = {n.strip().lower(): n for n in wb.sheetnames}
    return next((wb[names[s]] for s in wanted if s in names), wb.worksheets[0] if fallback else None)


class FactRow(Sequence[Fact]):
    """One sheet row, read cell by cell on demand: a row padded to 256 columns costs only the cells used."""

    def __init__(self, values: Sequence[Any], formulas: Sequence[Any], source: str) -> None:
        self.values, self.formulas, self.source = values, formulas, source

    def __len__(self) -> int:
        return len(self.values)

    @overload
    def __getitem__(self, i: int) -> Fact: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Fact]: ...
    def __getitem__(self, i: int | slice) -> Fact | Sequence[Fact]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        try:
            value_cell, formula_cell = self.values[i], self.formulas[i]
            value = value_cell.value
            fmt = getattr(value_cell, "number_format", None) or "General"
            if value is None and formula_cell.data_type == "f":
                return None, fmt, FORMULA
            return value, fmt, ERROR if value_cell.data_type == "e" else VALUE
        except Exception as e:  # a style or string index the workbook does not have, …
            raise _refuse(self.source, _("not a readable .xlsx workbook ({why})").format(why=printable(type(e).__name__))) from None


def xlsx_rows(data: bytes, source: str, max_rows: int, max_columns: int, sheet: Sequence[str] | None = None) -> Iterator[FactRow]:
    """Rows of (value, number format, kind) from the updates sheet (更新/updates, else the first);
    with ``sheet``, from the first sheet of those names (no rows when there is none)."""
    check_zip(data, source)
    books: list[Any] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            scan_parts(zf, source, max_rows, max_columns)
        from openpyxl import load_workbook

        for data_only in (True, False):
            books.append(load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False))
        values, formulas = (_sheet(b) if sheet is None else _sheet(b, sheet, fallback=False) for b in books)
        if values is None:
            return
        rows, cols = values.max_row or 0, values.max_column or 0
        if rows > max_rows or cols > max_columns:
            raise _refuse(
                source,
                _("its sheet declares {rows:,} rows × {cols:,} columns, more than {max_rows:,} × {max_cols:,}").format(
                    rows=rows, cols=cols, max_rows=max_rows, max_cols=max_columns
                ),
                N_("delete the unused rows and columns, or copy the data into a new workbook"),
            )
        bounds = {"max_row": max_rows + 1, "max_col": min(cols or max_columns, max_columns)}
        for vrow, frow in zip(values.iter_rows(**bounds), formulas.iter_rows(**bounds), strict=False):
            yield FactRow(vrow, frow, source)
    except BadInput:
        raise
    except Exception as e:  # openpyxl and the XML parser fail in many ways on a broken file; all mean the same
        why = printable(f"{type(e).__name__}: {e}")[:100]
        raise _refuse(source, _("not a readable .xlsx workbook ({why})").format(why=why)) from None
    finally:
        for book in books:
            book.close()
