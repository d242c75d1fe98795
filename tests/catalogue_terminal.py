"""Catalogue: terminal safety. A note or recorder name holding control characters (escape
sequences, OSC 52 clipboard writes, OSC 8 links, bells, carriage returns that split table rows,
C1 controls, line separators) is recorded as typed; every display format (tables, Markdown,
HTML, the report's CSV) shows it neutralised, and ``export`` gives it back exactly."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from tests.catalogue_kit import Case, case

G = "terminal safety"
T = "export keeps exact text"
PAYLOADS = {
    "csi-clear": "\x1b[2J\x1b[H清屏",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07剪贴板",
    "osc8-link": "\x1b]8;;http://evil.example\x1b\\点这里\x1b]8;;\x1b\\",
    "osc0-title": "\x1b]0;pwned\x07标题",
    "bell": "响铃\x07\x07",
    "carriage-return": "假行\r| 21 | done |",
    "backspace": "abc\x08\x08\x08xyz",
    "c1-csi": "\x9b2J八位",
    "c1-osc": "\x9d52;c;ZXZpbA==\x9c八位",
    "del": "删\x7f除",
    "vt-ff": "竖\x0b换\x0c页",
    "line-separator": "行\u2028分\u2029段",
}
NOTE_VIEWS = {  # name -> (args, output file or None for stdout)
    "show-table": (("show", "36"), None),
    "status-table": (("status", "--item", "36"), None),
    "status-markdown": (("status", "--format", "markdown"), None),
    "status-csv": (("status", "--format", "csv"), None),
    "log-table": (("log", "--item", "36"), None),
    "report-markdown": (("report", "--format", "markdown"), None),
    "report-html": (("report", "--format", "html", "--output", "{work}/r.html"), "r.html"),
    "report-csv": (("report", "--format", "csv", "--output", "{work}/r.csv"), "r.csv"),
}
BY_VIEWS = {k: NOTE_VIEWS[k] for k in ("show-table", "log-table")}


@dataclass(frozen=True)
class Display:
    """Record ``payload`` as the note (or the recorder, ``by``) of task 36, then run ``args``."""

    group: str
    name: str
    payload: str
    field: str  # "note" or "by"
    args: tuple[str, ...]
    output: str | None = None  # a file under the run's folder; None: stdout
    exact: str | None = None  # export format whose text must give the payload back exactly
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.group}:{self.name}"

    def record_args(self) -> list[str]:
        return ["update", "36", "--note", self.payload if self.field == "note" else "二季度进展", "--quarter", "2025Q2"]

    def record_env(self) -> dict[str, str]:
        """The recorder comes from the login name when there is no --by (which refuses controls)."""
        return {"LOGNAME": self.payload, "USER": self.payload} if self.field == "by" else {}


def unsafe(text: str) -> list[str]:
    """The control characters left in displayed text (a CSV's \\r\\n line ends are fine)."""
    text = text.replace("\r\n", "\n")
    return sorted({repr(c) for c in text if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029"})


def exported_notes(fmt: str, text: str) -> list[str]:
    if fmt == "json":
        return [u.get("note") or "" for u in json.loads(text)["updates"]]
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return [r.get("note") or "" for r in rows]


BY_REFUSED: list[Case] = [
    case(G, f"by-option-{p}", "update", "36", "--note", "x", "--quarter", "2025Q2", "--by", text)
    for p, text in PAYLOADS.items()
    if any(ord(c) < 32 or ord(c) == 127 for c in text)
]
CASES = [
    Display(G, f"note-{p}-{v}", text, "note", args, out)
    for p, text in PAYLOADS.items()
    for v, (args, out) in NOTE_VIEWS.items()
] + [
    Display(G, f"by-{p}-{v}", text, "by", args, out)
    for p, text in PAYLOADS.items()
    for v, (args, out) in BY_VIEWS.items()
] + [
    Display(T, f"export-{fmt}-{where}-{p}", text, "note", ("export", "--format", fmt, *out), out[-1].split("/")[-1] if out else None,
            exact=fmt)
    for p, text in PAYLOADS.items()
    for fmt, where, out in (("csv", "stdout", ()), ("json", "stdout", ()), ("csv", "file", ("--output", "{work}/e.csv")))
]  # fmt: skip
