"""A 台账 saved as Word (.docx): the rows of its first table with 序号 and 事项内容 headers.

Read with python-docx when it is installed (it parses with entity resolution off);
the zip's table of contents is bounded first, as for .xlsx.
"""

from __future__ import annotations

import io

from qdtrack.errors import BadInput, EnvironmentFault
from qdtrack.i18n import _
from qdtrack.ingest import under_header


def docx_rows(file: str) -> list[dict[str, object]]:
    """The rows of the document's 台账 table as dicts keyed by its header cells."""
    try:
        import docx  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise EnvironmentFault(
            _("reading a .docx 台账 needs python-docx: pip install python-docx (or save it as .xlsx or text)")
        ) from None
    from qdtrack.sheets import read_bytes, shown
    from qdtrack.sheets_xlsx import check_zip

    name = shown(file)
    data = read_bytes(file)
    check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many kinds for a damaged file
        raise BadInput(_("{name} is not a readable .docx document ({kind}); save it again from Word").format(
            name=name, kind=type(e).__name__)) from None  # fmt: skip
    for table in document.tables:
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        try:
            return under_header(name, rows)
        except BadInput:
            continue
    raise BadInput(_("{name} has no table with 序号, 事项内容 and 进展情况 columns").format(name=name))
