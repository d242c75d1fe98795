"""A 台账 saved as Word (.docx): the rows of its first table with 序号 and 事项内容 headers.

Read with python-docx when it is installed (an optional extra: ``pip install qdtrack[docx]``).
Before python-docx sees the file it is checked as a zip: a bounded table of contents, every
part's declared size and the sum of them bounded (a zip bomb is refused before anything is
inflated beyond them), and no XML part may declare a DTD (Word never writes one; entity
declarations are how XML expands a small file into a huge one).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from qdtrack.errors import BadInput, EnvironmentFault
from qdtrack.files import zip_directory
from qdtrack.i18n import _
from qdtrack.ingest import under_header

MAX_PART_BYTES = 20_000_000  # one part, inflated
MAX_TOTAL_BYTES = 50_000_000  # every part, inflated
MAX_PARTS = 2_000
MAX_DIRECTORY_BYTES = MAX_PARTS * 400  # an entry is 46 bytes and its name
_DTD = (b"<!DOCTYPE", b"<!ENTITY")


def _refuse(name: str, why: str) -> BadInput:
    return BadInput(_("{name} is not a readable .docx document: {why}; save it again from Word").format(
        name=name, why=why))  # fmt: skip


def _check_directory(data: bytes, name: str) -> None:
    """Bound the zip's table of contents before zipfile reads it: zipfile makes an object per
    entry, so a 50 MB file listing a million tiny parts would take gigabytes."""
    directory = zip_directory(data)
    if directory is None:
        raise _refuse(name, _("it is not a zip file"))
    entries, size, zip64 = directory
    if zip64:
        raise _refuse(name, _("it uses ZIP64, which a Word document of a 台账 never needs"))
    if entries > MAX_PARTS:
        raise _refuse(name, _("it lists {n:,} parts, more than {limit:,}").format(n=entries, limit=MAX_PARTS))
    if size > MAX_DIRECTORY_BYTES:
        raise _refuse(name, _("its table of contents is {size:,} bytes, more than {limit:,}").format(
            size=size, limit=MAX_DIRECTORY_BYTES))  # fmt: skip


def check_docx(data: bytes, name: str) -> None:
    """Refuse a .docx that is no zip, too large once inflated, or whose XML declares a DTD."""
    _check_directory(data, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(name, _("it is not a zip file")) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _refuse(name, _("it lists {n:,} parts, more than {limit:,}").format(n=len(parts), limit=MAX_PARTS))
        big = max((p.file_size for p in parts), default=0)
        if big > MAX_PART_BYTES:
            raise _refuse(name, _("one part inflates to {size:,} bytes, more than {limit:,}").format(
                size=big, limit=MAX_PART_BYTES))  # fmt: skip
        if sum(p.file_size for p in parts) > MAX_TOTAL_BYTES:
            raise _refuse(name, _("its parts inflate to more than {limit:,} bytes").format(limit=MAX_TOTAL_BYTES))
        for p in parts:  # every part: a part's content type, not its name, makes it XML
            _check_part(archive, p, name)


def _check_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str) -> None:
    try:
        with archive.open(part) as f:
            data = f.read(MAX_PART_BYTES + 1)  # zipfile stops at the declared size
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise _refuse(name, _("a part of it is damaged")) from None
    if any(d in data for d in _DTD):
        raise _refuse(name, _("its XML declares a DTD (entities), which Word never writes"))


def _python_docx() -> Any:
    try:
        import docx  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise EnvironmentFault(
            _("reading a .docx 台账 needs python-docx: pip install python-docx (or save it as .xlsx or text)")
        ) from None
    return docx


def docx_rows(file: str, title: list[str] | None = None) -> list[dict[str, object]]:
    """The rows of the document's 台账 table as dicts keyed by its header cells; the document's
    first paragraphs (its title) are appended to ``title`` when given."""
    from qdtrack.planload_files import read_data
    from qdtrack.sheets import MAX_FILE_BYTES

    name, data = read_data(file, limit=MAX_FILE_BYTES)
    check_docx(data, name)  # a hostile file is refused whether or not python-docx is installed
    docx = _python_docx()
    try:
        document = docx.Document(io.BytesIO(data))
        tables = [[[cell.text.strip() for cell in row.cells] for row in t.rows] for t in document.tables]
        heading = [p.text.strip() for p in document.paragraphs[:20] if p.text.strip()][:3]
    except Exception as e:  # python-docx raises many kinds for a damaged file
        raise _refuse(name, type(e).__name__) from None
    for rows in tables:
        above: list[str] = []
        try:
            found = under_header(name, rows, above)
        except BadInput:
            continue
        if title is not None:
            title.extend(heading + above)
        return found
    raise BadInput(_("{name} has no table with 序号, 事项内容 and 进展情况 columns").format(name=name))
