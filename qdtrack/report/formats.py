"""Which format a report is written in, and the dispatch to its renderer."""

from __future__ import annotations

import pathlib

from ..errors import BadInput
from ..i18n import _
from ..render_json import to_json
from .data import to_csv, to_json_obj
from .gather import Report
from .markdown import to_markdown

REPORT_FORMATS = ("markdown", "html", "json", "csv", "xlsx")
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
EXTENSIONS.update({".json": "json", ".csv": "csv", ".xlsx": "xlsx"})


def render_report(rep: Report, fmt: str, lang: str) -> bytes:
    if fmt == "markdown":
        return to_markdown(rep, lang).encode("utf-8")
    if fmt == "html":
        from .html import to_html

        return to_html(rep, lang).encode("utf-8")
    if fmt == "json":
        return to_json(to_json_obj(rep)).encode("utf-8")
    if fmt == "csv":
        return to_csv(rep, lang).encode("utf-8")
    if fmt == "xlsx":
        from .xlsx import to_xlsx

        return to_xlsx(rep, lang)
    raise BadInput(_("unknown report format {format!r}; use one of {formats}").format(format=fmt, formats=", ".join(REPORT_FORMATS)))


def guess_format(output: str | None) -> str:
    """The format an --output path's extension names; an unknown extension is refused.

    Markdown for stdout and for a name without an extension (``latest``).
    ``.pdf`` is refused too: writing Markdown into ``r.pdf`` would hand someone a file their
    PDF viewer cannot open (print the HTML report to PDF from a browser instead).
    """
    if not output:
        return "markdown"
    suffix = pathlib.Path(output).suffix.lower()
    if not suffix:
        return "markdown"
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = " ".join(sorted(EXTENSIONS))
    raise BadInput(
        _("cannot tell the format of {path} from its extension; name it with one of {known} or give --format").format(
            path=output, known=known
        )
    )
