"""The progress report: gather it from the ledger, render it, write it safely.

``gather.build`` reads the ledger (through ``Ledger`` methods only: no SQL
here) and returns a ``Report``; ``formats.render_report`` turns it into
markdown, html, json, csv or xlsx (one module per format); the file is
written by ``qdtrack.files`` (``{date}`` expansion, output lock, atomic write).

Modules: ``gather`` (the report model), ``text`` (titles, headers and rows
shared by the formats), ``markdown``, ``data`` (json and csv), ``html``,
``xlsx`` (also ``put``/``sheet_title``/``header`` for export), ``formats``
(format names and dispatch).
"""

from ..files import expand_output, lock_path, output_lock, write_atomic
from .formats import EXTENSIONS, REPORT_FORMATS, guess_format, render_report
from .gather import Report, build
from .xlsx import put, sheet_title

__all__ = [
    "EXTENSIONS",
    "REPORT_FORMATS",
    "Report",
    "build",
    "expand_output",
    "guess_format",
    "lock_path",
    "output_lock",
    "put",
    "render_report",
    "sheet_title",
    "write_atomic",
]
