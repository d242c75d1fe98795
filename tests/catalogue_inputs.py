"""Catalogue: spreadsheet and file input given to ``import`` — formats, formulas without a saved
value, sizes and dimensions past the limits, encodings, CSV field limits, malformed JSON and
malformed xlsx (broken XML, DTD entities, zip tricks). Every file is refused (exit 2) with one
line, and nothing is recorded (the good rows beside a bad one included)."""

from __future__ import annotations

import io
import pathlib
import re
import zipfile
from collections.abc import Callable

from tests.catalogue_kit import Case, case

G = "spreadsheet and file input"
GOOD = "id,quarter,value\n21,2025Q2,7\n"  # one row update would record
ZH = "序号,季度,数值,进展情况\n21,2025Q2,7,二季度新开通航线3条\n"


def _writes(name: str, data: bytes | Callable[[], bytes]) -> Callable[[pathlib.Path, pathlib.Path], object]:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        (work / name).write_bytes(data() if callable(data) else data)

    return setup


def imp(name: str, file: str, data: bytes | Callable[[], bytes], *extra: str) -> Case:
    return case(G, name, "import", "{work}/" + file, *extra, setup=_writes(file, data))


def _book(rows: list[list[object]], title: str = "更新", fmt: dict[str, str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, number_format in (fmt or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _patched(rows: list[list[object]], part: str, change: Callable[[bytes], bytes]) -> Callable[[], bytes]:
    """A workbook from openpyxl with one part rewritten (``change`` gets and returns its bytes)."""

    def build() -> bytes:
        src = zipfile.ZipFile(io.BytesIO(_book(rows)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                dst.writestr(info.filename, change(data) if info.filename == part else data)
        return out.getvalue()

    return build


def _zip(members: dict[str, bytes]) -> Callable[[], bytes]:
    def build() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return out.getvalue()

    return build


def _sparse(name: str, size: int) -> Callable[[pathlib.Path, pathlib.Path], object]:
    def setup(work: pathlib.Path, db: pathlib.Path) -> None:
        with open(work / name, "wb") as f:
            f.write(GOOD.encode())
            f.truncate(size)

    return setup


SHEET = "xl/worksheets/sheet1.xml"
HEAD = [["id", "quarter", "value", "note"]]
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_dtd(prolog: bytes) -> Callable[[bytes], bytes]:
    return lambda data: prolog + re.sub(rb"^<\?xml[^>]*\?>", b"", data)


FORMATS = [
    imp("txt-extension", "in.txt", GOOD.encode()),
    imp("no-extension", "in", GOOD.encode()),
    imp("xls-binary", "in.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
    imp("ods", "in.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
    imp("pdf-named-csv", "in.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
    imp("empty-csv", "in.csv", b""),
    imp("empty-xlsx", "in.xlsx", b""),
    imp("empty-json", "in.json", b""),
    imp("header-only-csv", "in.csv", b"id,quarter,value\n"),
    imp("blank-lines-csv", "in.csv", b"\n\n\n\n"),
    imp("no-known-column", "in.csv", b"a,b,c\n1,2,3\n"),
    imp("csv-text-named-xlsx", "in.xlsx", GOOD.encode()),
    imp("csv-text-named-json", "in.json", GOOD.encode()),
    imp("xlsx-named-csv", "in.csv", lambda: _book(HEAD + [["21", "2025Q2", 7, "x"]])),
    imp("nul-bytes-csv", "in.csv", b"id,quarter,value\n21,2025Q2,7\x00\n"),
    imp("gzip-named-csv", "in.csv", b"\x1f\x8b\x08\x00" + bytes(range(200))),
    imp("duplicate-column", "in.csv", b"id,value,quarter,value\n21,7,2025Q2,8\n"),
    imp("good-then-bad-row", "in.csv", (GOOD + "21,2025Q3,abc\n").encode()),
    imp("good-then-bad-row-dry-run", "in.csv", (GOOD + "21,2025Q3,abc\n").encode(), "--dry-run"),
    imp("xlsx-sheet-without-header", "in.xlsx", lambda: _book([["标题"], ["x", "y"]])),
    imp("xlsx-no-rows", "in.xlsx", lambda: _book([])),
]
FORMULAS = [
    imp(f"formula-in-{col}", "in.xlsx", lambda col=col, f=f: _book(HEAD + [[*(f if c == col else v for c, v in zip(("id", "quarter", "value", "note"), ["21", "2025Q2", 7, "x"], strict=True))]]))
    for col, f in [("value", "=3+4"), ("id", "=20+1"), ("quarter", '="2025Q2"'), ("note", '="x"&"y"')]
] + [
    imp("formula-second-row", "in.xlsx", lambda: _book(HEAD + [["21", "2025Q2", 7, "x"], ["21", "2025Q3", "=A2*2", "y"]])),
    imp("error-value-div0", "in.xlsx", _patched(HEAD + [["21", "2025Q2", 7, "x"]], SHEET,
        lambda d: re.sub(rb'<c r="C2"[^>]*>.*?</c>', b'<c r="C2" t="e"><v>#DIV/0!</v></c>', d))),
    imp("error-value-na", "in.xlsx", _patched(HEAD + [["21", "2025Q2", 7, "x"]], SHEET,
        lambda d: re.sub(rb'<c r="C2"[^>]*>.*?</c>', b'<c r="C2" t="e"><v>#N/A</v></c>', d))),
    imp("formula-dry-run", "in.xlsx", lambda: _book(HEAD + [["21", "2025Q2", "=1+1", "x"]]), "--dry-run"),
]  # fmt: skip
BOUNDS = [
    imp("declared-dimension-huge", "in.xlsx", _patched(HEAD, SHEET, lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d))),
    imp("300-columns", "in.xlsx", lambda: _book([["id", "quarter", "value", *[f"c{i}" for i in range(300)]], ["21", "2025Q2", 7]])),
    imp("cell-over-32767-chars-xlsx", "in.xlsx", lambda: _book(HEAD + [["21", "2025Q2", 7, "长" * 32768]])),
    imp("cell-over-32767-chars-csv", "in.csv", ("id,quarter,note\n21,2025Q2," + "长" * 32768 + "\n").encode()),
    imp("field-over-csv-limit", "in.csv", ("id,quarter,note\n21,2025Q2,\"" + "x" * 140_000 + "\"\n").encode()),
    imp("unterminated-quote", "in.csv", ("id,quarter,note\n21,2025Q2,\"never closed\n" + "x\n" * 10).encode()),
    imp("header-after-25-title-rows", "in.csv", ("标题\n" * 25 + GOOD).encode()),
    imp("200001-rows", "in.csv", (GOOD + "\n" * 200_001).encode()),
    imp("title-rows-xlsx", "in.xlsx", lambda: _book([["标题"]] * 25 + HEAD + [["21", "2025Q2", 7, "x"]])),
    case(G, "file-over-50MB-sparse", "import", "{work}/big.csv", setup=_sparse("big.csv", 51 * 1024 * 1024)),
    case(G, "xlsx-over-50MB-sparse", "import", "{work}/big.xlsx", setup=_sparse("big.xlsx", 51 * 1024 * 1024)),
    imp("zip-bomb-sheet", "in.xlsx", _patched(HEAD, SHEET, lambda d: d.replace(b"</sheetData>", b"</sheetData>" + b"<!-- " + b" " * 120_000_000 + b"-->"))),
    imp("deep-xml", "in.xlsx", _patched(HEAD, SHEET, lambda d: d.replace(b"</sheetData>", b"</sheetData>" + b"<a>" * 200 + b"</a>" * 200))),
]  # fmt: skip
ENCODINGS = [
    imp("utf16-le-bom", "in.csv", b"\xff\xfe" + ZH.encode("utf-16-le")),
    imp("utf16-be-bom", "in.csv", b"\xfe\xff" + ZH.encode("utf-16-be")),
    imp("utf16-no-bom", "in.csv", ZH.encode("utf-16-le")),
    imp("utf32", "in.csv", ZH.encode("utf-32")),
    imp("latin1-bytes", "in.csv", "id,quarter,note\n21,2025Q2,caf\xe9 cr\xe8me\n".encode("latin-1") + b"\xff\n"),
    imp("utf8-then-gb18030", "in.csv", ZH.encode("utf-8") + "21,2025Q3,8,三季度新开通航线1条\n".encode("gb18030")),
    imp("gb18030-then-utf8", "in.csv", ZH.encode("gb18030") + "21,2025Q3,8,三季度新开通航线1条\n".encode()),
    imp("bom-then-gb18030", "in.csv", b"\xef\xbb\xbf" + ZH.encode("utf-8") + "21,2025Q3,8,三季度\n".encode("gb18030")),
    imp("bom-gb18030-only", "in.csv", b"\xef\xbb\xbf" + ZH.encode("gb18030")),
    imp("invalid-bytes-mid-line", "in.csv", b"id,quarter,note\n21,2025Q2,\xff\xfe\xfd\n"),
    imp("truncated-utf8", "in.csv", ZH.encode("utf-8")[:-3] + b"\xe4\xb8\n"),
    imp("big5-bytes", "in.csv", "序號,季度,進展情況\n21,2025Q2,進展順利\n".encode("big5") + b"\x80\n"),
    imp("shift-jis-mixed", "in.csv", ZH.encode("utf-8") + "21,2025Q3,8,テスト\n".encode("shift_jis")),
    imp("utf8-header-gb18030-row", "in.csv", "序号,季度,数值\n".encode() + "21,2025Q2,七条\n".encode("gb18030")),
    imp("overlong-utf8-in-utf8-file", "in.csv", ZH.encode() + b"21,2025Q3,8,\xc0\xaf\n"),  # reads as GB18030: mixed
    imp("utf8-surrogate-bytes", "in.csv", b"id,quarter,note\n21,2025Q2,\xed\xa0\x80\n"),
]
JSON = [
    imp("json-huge-exponent", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "value": 1e400}]}'),
    imp("json-400-digit-int", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "value": ' + b"9" * 400 + b"}]}"),
    imp("json-5000-digit-int", "in.json", b"[" + b"7" * 5000 + b"]"),
    imp("json-deep-lists", "in.json", b"[" * 100_000 + b"]" * 100_000),
    imp("json-deep-objects", "in.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    imp("json-nan", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "value": NaN}]}'),
    imp("json-infinity", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "value": -Infinity}]}'),
    imp("json-trailing-comma", "in.json", b'{"updates": [{"id": "21",}]}'),
    imp("json-truncated", "in.json", b'{"updates": [{"id": "21", "quar'),
    imp("json-trailing-garbage", "in.json", b'{"updates": []} x'),
    imp("json-top-string", "in.json", b'"updates"'),
    imp("json-top-number", "in.json", b"21"),
    imp("json-top-null", "in.json", b"null"),
    imp("json-updates-not-list", "in.json", b'{"updates": {"id": "21"}}'),
    imp("json-update-not-object", "in.json", b'{"updates": ["21", "2025Q2"]}'),
    imp("json-empty-object", "in.json", b"{}"),
    imp("json-invalid-utf8", "in.json", b'{"updates": [{"id": "21", "note": "\xff\xfe"}]}'),
    imp("json-utf16", "in.json", '{"updates": []}'.encode("utf-16")),
    imp("json-lone-surrogate-escape", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "note": "\\ud800"}]}'),
    imp("json-value-object", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "value": {"x": 1}}]}'),
    imp("json-value-list", "in.json", b'{"updates": [{"id": "21", "quarter": "2025Q2", "value": [7]}]}'),
    imp("json-id-bool", "in.json", b'{"updates": [{"id": true, "quarter": "2025Q2", "value": 7}]}'),
    imp("json-nul-in-string", "in.json", b'{"updates": [{"id": "21\\u0000", "quarter": "2025Q2", "value": 7}]}'),
    imp("json-million-updates-of-nothing", "in.json", b'{"updates": [' + b"{}," * 250_000 + b"{}]}"),
]
XLSX = [
    imp("not-a-zip", "in.xlsx", b"PK\x03\x04not really a zip" * 10),
    imp("zip-without-workbook", "in.xlsx", _zip({"hello.txt": b"hi"})),
    imp("zip-with-traversal-names", "in.xlsx", _zip({"../../evil.txt": b"x", "/abs.txt": b"y"})),
    imp("broken-sheet-xml", "in.xlsx", _patched(HEAD + [["21", "2025Q2", 7, "x"]], SHEET, lambda d: d[: len(d) // 2])),
    imp("sheet-xml-garbage", "in.xlsx", _patched(HEAD, SHEET, lambda d: b"\xff\xfe garbage <<<")),
    imp("broken-workbook-xml", "in.xlsx", _patched(HEAD, "xl/workbook.xml", lambda d: d.replace(b"<sheets>", b"<sheets"))),
    imp("broken-shared-strings", "in.xlsx", _patched(HEAD, "xl/sharedStrings.xml", lambda d: d + b"<unclosed>")),
    imp("broken-content-types", "in.xlsx", _patched(HEAD, "[Content_Types].xml", lambda d: b"<Types")),
    imp("dtd-billion-laughs-sheet", "in.xlsx", _patched(HEAD, SHEET, _with_dtd(LAUGHS))),
    imp("dtd-billion-laughs-strings", "in.xlsx", _patched(HEAD, "xl/sharedStrings.xml", _with_dtd(LAUGHS))),
    imp("dtd-xxe-workbook", "in.xlsx", _patched(HEAD, "xl/workbook.xml", _with_dtd(XXE))),
    imp("dtd-xxe-styles", "in.xlsx", _patched(HEAD, "xl/styles.xml", _with_dtd(XXE))),
    imp("dtd-lowercase-doctype", "in.xlsx", _patched(HEAD, SHEET, _with_dtd(b'<!doctype x [<!entity a "b">]>'))),
    imp("shared-string-index-out-of-range", "in.xlsx", _patched(HEAD + [["21", "2025Q2", 7, "x"]], SHEET,
        lambda d: re.sub(rb'<c r="D2"[^>]*>.*?</c>', b'<c r="D2" t="s"><v>999999</v></c>', d))),
    imp("cell-ref-beyond-xfd", "in.xlsx", _patched(HEAD, SHEET, lambda d: d.replace(b'r="D1"', b'r="XFE1"'))),
    imp("sheet-named-updates-empty", "in.xlsx", lambda: _book([], title="updates")),
]  # fmt: skip

CASES = FORMATS + FORMULAS + BOUNDS + ENCODINGS + JSON + XLSX
