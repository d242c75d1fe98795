"""qdtrack.sheets: a catalogue of named hostile inputs, a fuzz test, and the CLI's one-line refusals.

Each catalogue case builds one file in tmp_path and says what must happen: the
rows it reads ("ok"), a refusal naming a row and column (``CellError``), or a
one-line refusal of the whole file (``BadInput``) containing some words.
"""

from __future__ import annotations

import io
import os
import socket
import stat
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qdtrack import sheets, sheets_xlsx
from qdtrack.errors import BadInput
from qdtrack.sheets import CellError, read_sheet, read_update_rows

from .conftest import dump

# -- building files ---------------------------------------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook'
    '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
    '.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET = "xl/worksheets/sheet1.xml"


def c(ref: str, value: object) -> str:
    """One cell of hand-written sheet XML: text inline, numbers as numbers, '<...>' as given."""
    if isinstance(value, str) and value.startswith("<"):
        return f'<c r="{ref}">{value}</c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def sheet_xml(rows: list[list[object]], before: str = "", start: int = 1) -> str:
    body = "".join(
        f'<row r="{n}">' + "".join(c(f"{chr(65 + i)}{n}", v) for i, v in enumerate(r) if v is not None) + "</row>"
        for n, r in enumerate(rows, start=start)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{before}<sheetData>{body}</sheetData></worksheet>'


HEAD = ["id", "quarter", "value"]
ROW = [21, "2025Q2", 7]


def zipped(parts: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def xlsx(rows: list[list[object]] | None = None, sheet: str | bytes | None = None, **parts: str | bytes) -> bytes:
    body = sheet if sheet is not None else sheet_xml(rows if rows is not None else [HEAD, ROW])
    return zipped({**PARTS, SHEET: body, **{k.replace("__", "/"): v for k, v in parts.items()}})


def openpyxl_book(fill) -> bytes:  # noqa: ANN001
    from openpyxl import Workbook

    wb = Workbook()
    fill(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def percent_book(fmt: str, value: float = 0.085):  # noqa: ANN201
    def fill(wb):  # noqa: ANN001, ANN202
        wb.active.append(HEAD)
        wb.active.append([21, "2025Q2", value])
        wb.active["C2"].number_format = fmt

    return openpyxl_book(fill)


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


GOOD_CSV = "id,quarter,value\n21,2025Q2,7\n"
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>'
    "</worksheet>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>'
    "</worksheet>"
)


def deep_sheet(levels: int) -> str:
    return sheet_xml([HEAD, ROW], before="<a>" * levels + "</a>" * levels)


def many_members() -> bytes:
    return zipped({**PARTS, SHEET: sheet_xml([HEAD, ROW]), **{f"junk/{i}.bin": b"" for i in range(2_100)}})


def zip_bomb() -> bytes:
    return xlsx(sheet=sheet_xml([HEAD, ROW]).replace("<sheetData>", " " * (110 * 1024 * 1024) + "<sheetData>"))


def good_xlsx() -> bytes:
    return xlsx()


# -- the catalogue ----------------------------------------------------------------------------------

# (id, file name, content or builder, expectation)
#   ("ok", [(row, {key: text})...]) the rows read, in full for the keys given
#   ("cell", row, key, words)        CellError for that row and field
#   ("refused", words)               a one-line BadInput holding every word
CASES: list[tuple[str, str, object, tuple]] = [
    # CSV encodings
    ("csv-utf8", "a.csv", csv_bytes("id,quarter,note\n21,2025Q2,新开通航线\n"), ("ok", [(2, {"note": "新开通航线"})])),
    (
        "csv-utf8-bom",
        "a.csv",
        b"\xef\xbb\xbf" + csv_bytes("序号,季度,数值\n21,2025Q2,7\n"),
        ("ok", [(2, {"id": "21"})]),
    ),
    (
        "csv-gb18030",
        "a.csv",
        csv_bytes("序号,季度,进展情况\n21,2025Q2,新开通\n", "gb18030"),
        ("ok", [(2, {"note": "新开通"})]),
    ),
    (
        "csv-mixed-encoding",
        "a.csv",
        csv_bytes("序号,季度,进展情况\n") + csv_bytes("21,2025Q2,新开通\n", "gb18030"),
        ("refused", ["line 1 is UTF-8", "line 2 is GB18030", "one encoding"]),
    ),
    (
        "csv-mixed-encoding-late",
        "a.csv",
        csv_bytes("id,quarter,note\n21,2025Q2,新开通\n" + "3,2025Q2,x\n" * 50)
        + csv_bytes("4,2025Q2,航线\n", "gb18030"),
        ("refused", ["line 53 is GB18030"]),
    ),
    (
        "csv-bom-then-gb18030",
        "a.csv",
        b"\xef\xbb\xbf" + csv_bytes("id,quarter,note\n21,2025Q2,航线\n", "gb18030"),
        ("refused", ["marked UTF-8", "line 2 is GB18030"]),
    ),
    ("csv-neither-encoding", "a.csv", b"id,quarter\n21,\xff\xfe\xff\n", ("refused", ["line 2", "neither UTF-8 nor"])),
    ("csv-utf16", "a.csv", GOOD_CSV.encode("utf-16"), ("refused", ["NUL bytes", "CSV UTF-8"])),
    ("csv-nul-byte", "a.csv", b"id,quarter\n21,2025Q2\x00\n", ("refused", ["NUL bytes"])),
    ("csv-latin1-accents", "a.csv", b"id,quarter,note\n21,2025Q2,caf\xe9 \xe0\n", ("refused", ["neither UTF-8"])),
    # CSV shape
    ("csv-semicolon", "a.csv", csv_bytes("id;quarter;value\n21;2025Q2;7,5\n"), ("ok", [(2, {"value": "7,5"})])),
    ("csv-tab", "a.csv", csv_bytes("id\tquarter\tvalue\n21\t2025Q2\t1,200\n"), ("ok", [(2, {"value": "1,200"})])),
    ("csv-pipe-is-not-a-delimiter", "a.csv", csv_bytes("id|quarter\n21|2025Q2\n"), ("refused", ["no header row"])),
    (
        "csv-title-row",
        "a.csv",
        csv_bytes("2025年二季度进展,,\nid,quarter,value\n21,2025Q2,7\n"),
        ("ok", [(3, {"id": "21", "value": "7"})]),
    ),
    (
        "csv-two-title-rows-gb18030",
        "a.csv",
        csv_bytes("青岛市\n二季度\n序号,季度\n21,2025Q2\n", "gb18030"),
        ("ok", [(4, {"id": "21"})]),
    ),
    ("csv-no-header-in-20-rows", "a.csv", csv_bytes("x\n" * 25 + GOOD_CSV), ("refused", ["no header row", "20"])),
    ("csv-header-without-id", "a.csv", csv_bytes("task,quarter\n21,2025Q2\n"), ("refused", ["no id column"])),
    ("csv-header-without-quarter", "a.csv", csv_bytes("id,value\n21,7\n"), ("refused", ["no quarter column"])),
    ("csv-empty", "a.csv", b"", ("refused", ["is empty"])),
    ("csv-only-bom", "a.csv", b"\xef\xbb\xbf", ("refused", ["is empty"])),
    ("csv-only-blank-lines", "a.csv", b"\n\r\n,,\n", ("refused", ["is empty"])),
    ("csv-header-only", "a.csv", csv_bytes("id,quarter\n"), ("refused", ["no update rows"])),
    (
        "csv-blank-lines-keep-numbers",
        "a.csv",
        csv_bytes("id,quarter\n\n21,2025Q2\n,\n\n3,2025Q2\n"),
        ("ok", [(3, {"id": "21"}), (6, {"id": "3"})]),
    ),
    ("csv-crlf", "a.csv", csv_bytes("id,quarter\r\n21,2025Q2\r\n"), ("ok", [(2, {"quarter": "2025Q2"})])),
    (
        "csv-multiline-note",
        "a.csv",
        csv_bytes('id,quarter,note\n21,2025Q2,"a\nb"\n3,2025Q2,c\n'),
        ("ok", [(2, {"note": "a\nb"}), (3, {"note": "c"})]),
    ),
    (
        "csv-unterminated-quote",
        "a.csv",
        csv_bytes('id,quarter,note\n21,2025Q2,"open\n3,2025Q2,swallowed\n'),
        ("refused", ["row 2", "malformed CSV", "quotes"]),  # an unclosed quote must not swallow the rows below
    ),
    ("csv-short-row", "a.csv", csv_bytes("id,quarter,value\n21\n"), ("ok", [(2, {"id": "21", "value": None})])),
    (
        "csv-export-quote-undone",
        "a.csv",
        csv_bytes("id,quarter,note\n21,2025Q2,'=1+2\n"),
        ("ok", [(2, {"note": "=1+2"})]),
    ),
    (
        "csv-field-over-csv-limit",
        "a.csv",
        csv_bytes("id,quarter,note\n21,2025Q2,ok\n3,2025Q2," + "x" * 200_000 + "\n"),
        ("refused", ["row 3", "longer than 131,072"]),
    ),
    (
        "csv-cell-over-cell-limit",
        "a.csv",
        csv_bytes("id,quarter,note\n21,2025Q2," + "长" * 40_000 + "\n"),
        ("cell", 2, "note", ["40,000 characters", "32,767"]),
    ),
    (
        "csv-too-many-rows",
        "a.csv",
        csv_bytes("id,quarter\n" + "21,2025Q2\n" * 200_000),
        ("refused", ["more than 200,000 rows"]),
    ),
    (
        "csv-duplicate-header-refused",
        "a.csv",
        csv_bytes("id,quarter,value,数值\n21,2025Q2,1,2\n"),
        ("refused", ["columns C and D", "keep one"]),  # which of 1 and 2? never guessed
    ),
    # xlsx content
    ("xlsx-ok", "a.xlsx", good_xlsx, ("ok", [(2, {"id": "21", "quarter": "2025Q2", "value": "7"})])),
    ("xlsx-percent-format", "a.xlsx", lambda: percent_book("0.0%"), ("ok", [(2, {"value": "8.5%"})])),
    ("xlsx-percent-two-places", "a.xlsx", lambda: percent_book("0.00%", 0.1234), ("ok", [(2, {"value": "12.34%"})])),
    ("xlsx-percent-quoted-is-literal", "a.xlsx", lambda: percent_book('0.0"%"', 8.5), ("ok", [(2, {"value": "8.5"})])),
    ("xlsx-general-float", "a.xlsx", lambda: percent_book("General", 0.085), ("ok", [(2, {"value": "0.085"})])),
    (
        "xlsx-formula-no-cache",
        "a.xlsx",
        lambda: xlsx([HEAD, [21, "2025Q2", "<f>1+2</f>"]]),
        ("cell", 2, "value", ["formula without a saved result", "value (C)"]),
    ),
    (
        "xlsx-formula-empty-cache",
        "a.xlsx",
        lambda: xlsx([HEAD, [21, "2025Q2", "<f>1+2</f><v></v>"]]),
        ("cell", 2, "value", ["formula"]),
    ),
    (
        "xlsx-formula-in-id",
        "a.xlsx",
        lambda: xlsx([HEAD, ["<f>20+1</f>", "2025Q2", 7]]),
        ("cell", 2, "id", ["formula"]),
    ),
    (
        "xlsx-formula-with-cache",
        "a.xlsx",
        lambda: xlsx([HEAD, [21, "2025Q2", "<f>1+2</f><v>3</v>"]]),
        ("ok", [(2, {"value": "3"})]),
    ),
    (
        "xlsx-formula-in-ignored-column",
        "a.xlsx",
        lambda: xlsx([HEAD + ["other"], ROW + ["<f>1+2</f>"]]),
        ("ok", [(2, {"value": "7"})]),
    ),
    (
        "xlsx-error-value",
        "a.xlsx",
        lambda: xlsx(
            sheet=sheet_xml([HEAD, ROW]).replace(
                '<c r="C2"><v>7</v></c>', '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
            )
        ),
        ("cell", 2, "value", ["#DIV/0!"]),
    ),
    ("xlsx-title-row", "a.xlsx", lambda: xlsx([["二季度进展"], HEAD, ROW]), ("ok", [(3, {"id": "21"})])),
    (
        "xlsx-updates-sheet-chosen",
        "a.xlsx",
        lambda: openpyxl_book(
            lambda wb: (wb.active.append(["x"]), wb.create_sheet("更新").append(HEAD), wb["更新"].append(ROW))
        ),
        ("ok", [(2, {"id": "21"})]),
    ),
    (
        "xlsx-bool-and-date",
        "a.xlsx",
        lambda: openpyxl_book(
            lambda wb: (
                wb.active.append(HEAD + ["note"]),
                wb.active.append([True, __import__("datetime").date(2025, 6, 30), 7]),
            )
        ),
        ("ok", [(2, {"id": "1", "quarter": "2025-06-30"})]),
    ),
    (
        "xlsx-cell-over-cell-limit",
        "a.xlsx",
        lambda: xlsx([HEAD + ["note"], ROW + ["长" * 33_000]]),
        ("cell", 2, "note", ["33,000 characters"]),
    ),
    (
        "xlsx-huge-number",
        "a.xlsx",
        lambda: xlsx([HEAD, [21, "2025Q2", "<v>" + "9" * 5000 + "</v>"]]),
        ("refused", ["not a readable .xlsx"]),
    ),
    (
        "xlsx-row-beyond-limit",
        "a.xlsx",
        lambda: xlsx(
            sheet=sheet_xml([HEAD]).replace("</sheetData>", f'<row r="200001">{c("A200001", 21)}</row></sheetData>')
        ),
        ("refused", ["more than 200,000 rows"]),
    ),
    (
        "xlsx-declared-dimension-huge",
        "a.xlsx",
        lambda: xlsx(sheet=sheet_xml([HEAD, ROW], '<dimension ref="A1:XFD1048576"/>')),
        ("refused", ["declares 1,048,576 rows × 16,384 columns"]),
    ),
    (
        "xlsx-row-with-too-many-cells",
        "a.xlsx",
        lambda: xlsx([HEAD, ROW + [1] * 300]),
        ("refused", ["more than 256 cells"]),
    ),
    (
        "xlsx-far-column-letter",
        "a.xlsx",
        lambda: xlsx(
            sheet=sheet_xml([HEAD, ROW]).replace(
                '<c r="C2"><v>7</v></c>', '<c r="C2"><v>7</v></c><c r="XFD2"><v>1</v></c>'
            )
        ),
        ("ok", [(2, {"value": "7"})]),
    ),
    # xlsx structure
    ("xlsx-not-a-zip", "a.xlsx", b"id,quarter\n21,2025Q2\n", ("refused", ["not a zip file"])),
    ("xlsx-empty-file", "a.xlsx", b"", ("refused", ["not a zip file"])),
    ("xlsx-truncated", "a.xlsx", lambda: good_xlsx()[:600], ("refused", ["not a zip file"])),
    ("xlsx-zip-without-workbook", "a.xlsx", lambda: zipped({"hello.txt": "hi"}), ("refused", ["not a readable .xlsx"])),
    (
        "xlsx-no-sheets",
        "a.xlsx",
        lambda: xlsx(**{"xl__workbook.xml": f"<workbook {NS}><sheets/></workbook>"}),
        ("refused", ["not a readable .xlsx"]),
    ),
    (
        "xlsx-broken-sheet-xml",
        "a.xlsx",
        lambda: xlsx(sheet=f"<worksheet {NS}><sheetData><row>"),
        ("refused", ["xl/worksheets/sheet1.xml is broken XML"]),
    ),
    (
        "xlsx-broken-workbook-xml",
        "a.xlsx",
        lambda: xlsx(**{"xl__workbook.xml": "<workbook><sheets>"}),
        ("refused", ["xl/workbook.xml is broken XML"]),
    ),
    ("xlsx-billion-laughs", "a.xlsx", lambda: xlsx(sheet=BOMB), ("refused", ["DTD or entities"])),
    ("xlsx-external-entity", "a.xlsx", lambda: xlsx(sheet=XXE), ("refused", ["DTD or entities"])),
    (
        "xlsx-doctype-in-workbook",
        "a.xlsx",
        lambda: xlsx(
            **{
                "xl__workbook.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
                + PARTS["xl/workbook.xml"].split("?>", 1)[1]
            }
        ),
        ("refused", ["xl/workbook.xml declares a DTD"]),
    ),
    (
        "xlsx-doctype-in-content-types",
        "a.xlsx",
        lambda: xlsx(**{"[Content_Types].xml": "<!DOCTYPE t>" + PARTS["[Content_Types].xml"].split("?>", 1)[1]}),
        ("refused", ["DTD"]),
    ),
    (
        "xlsx-utf16-sheet",
        "a.xlsx",
        lambda: xlsx(sheet=sheet_xml([HEAD, ROW]).replace("UTF-8", "UTF-16").encode("utf-16")),
        ("refused", ["not UTF-8 XML"]),
    ),
    (
        "xlsx-foreign-encoding",
        "a.xlsx",
        lambda: xlsx(sheet=sheet_xml([HEAD, ROW]).replace("UTF-8", "cp037")),
        ("refused", ["declares the encoding cp037"]),
    ),
    ("xlsx-deep-nesting", "a.xlsx", lambda: xlsx(sheet=deep_sheet(100)), ("refused", ["nested more than 64"])),
    ("xlsx-zip-bomb", "a.xlsx", zip_bomb, ("refused", ["unpacks to", "more than 104,857,600"])),
    ("xlsx-many-parts", "a.xlsx", many_members, ("refused", ["more than 2,000"])),
    (
        "xlsx-crc-mismatch",
        "a.xlsx",
        lambda: zipped({**PARTS, SHEET: sheet_xml([HEAD, ROW])}, zipfile.ZIP_STORED).replace(b"2025Q2", b"2025Q3"),
        ("refused", ["not a readable"]),
    ),
    # JSON
    (
        "json-list",
        "a.json",
        b'[{"id": 21, "quarter": "2025Q2", "value": 7.5}]',
        ("ok", [(1, {"id": "21", "value": "7.5"})]),
    ),
    (
        "json-export-shape-with-bom",
        "a.json",
        b'\xef\xbb\xbf{"updates": [{"id": "21", "quarter": "2025Q2", "note": "x"}]}',
        ("ok", [(1, {"note": "x"})]),
    ),
    (
        "json-huge-integer",
        "a.json",
        b'[{"id": 21, "quarter": "2025Q2", "value": ' + b"9" * 5000 + b"}]",
        ("refused", ["5,000 digits"]),
    ),
    (
        "json-huge-float",
        "a.json",
        b'[{"id": 21, "quarter": "2025Q2", "value": 1e999}]',
        ("refused", ["1e999", "too large"]),
    ),
    ("json-nan", "a.json", b'[{"id": 21, "quarter": "2025Q2", "value": NaN}]', ("refused", ["NaN", "not a number"])),
    ("json-infinity", "a.json", b'[{"id": 21, "quarter": "2025Q2", "value": -Infinity}]', ("refused", ["Infinity"])),
    ("json-deep-nesting", "a.json", b"[" * 200_000 + b"]" * 200_000, ("refused", ["nested too deeply"])),
    ("json-invalid-utf8", "a.json", b'[{"id": "\xff\xfe"}]', ("refused", ["not UTF-8"])),
    ("json-utf16", "a.json", '[{"id": 21, "quarter": "2025Q2"}]'.encode("utf-16"), ("refused", ["not UTF-8"])),
    ("json-truncated", "a.json", b'[{"id": 21, "quarter": ', ("refused", ["not valid JSON"])),
    ("json-not-a-list", "a.json", b"42", ("refused", ["expected a list of updates"])),
    ("json-list-of-strings", "a.json", b'["21", "2025Q2"]', ("refused", ["expected a list of updates"])),
    ("json-missing-id", "a.json", b'[{"quarter": "2025Q2"}]', ("refused", ["row 1, column id: missing"])),
    (
        "json-nested-value",
        "a.json",
        b'[{"id": 21, "quarter": "2025Q2", "value": {"a": 1}}]',
        ("cell", 1, "value", ["found a JSON dict"]),
    ),
    (
        "json-cell-over-cell-limit",
        "a.json",
        b'[{"id": 21, "quarter": "2025Q2", "note": "' + b"x" * 40_000 + b'"}]',
        ("cell", 1, "note", ["40,000 characters"]),
    ),
    ("json-empty-list", "a.json", b"[]", ("refused", ["no update rows"])),
    (
        "json-too-many-rows",
        "a.json",
        b"[" + b",".join([b'{"id":1}'] * 200_001) + b"]",
        ("refused", ["more than 200,000 updates"]),
    ),
    # names and kinds of file
    ("unknown-extension", "a.txt", GOOD_CSV.encode(), ("refused", ["unknown file type .txt"])),
    ("no-extension", "noext", GOOD_CSV.encode(), ("refused", ["unknown file type (none)"])),
    ("upper-case-extension", "A.CSV", GOOD_CSV.encode(), ("ok", [(2, {"id": "21"})])),
]


def _fifo(p):  # noqa: ANN001, ANN202
    os.mkfifo(p)


def _socket(p):  # noqa: ANN001, ANN202
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(p))
    return s


def _device(kind: int):  # noqa: ANN202
    def make(p):  # noqa: ANN001, ANN202
        if os.geteuid() != 0:
            pytest.skip("device files need root (os.mknod)")
        os.mknod(p, kind | 0o600, os.makedev(1, 3))

    return make


def _link_to(make):  # noqa: ANN001, ANN202
    def build(p):  # noqa: ANN001, ANN202
        made = make(p.with_name("target" + p.suffix))
        os.symlink(p.with_name("target" + p.suffix), p)
        return made

    return build


def _big(p):  # noqa: ANN001, ANN202
    with open(p, "wb") as f:
        f.truncate(sheets.MAX_FILE_BYTES + 1)  # sparse: no disk used


def _unreadable(p):  # noqa: ANN001, ANN202
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    p.write_text(GOOD_CSV)
    p.chmod(0)


# (id, file name, setup(path), words): the file is refused before anything is read from it
KINDS = [
    ("fifo-input", "a.csv", _fifo, ["a FIFO (named pipe), not a regular file"]),
    ("fifo-input-xlsx", "a.xlsx", _fifo, ["a FIFO (named pipe), not a regular file"]),
    ("symlink-to-fifo", "a.csv", _link_to(_fifo), ["a FIFO (named pipe), not a regular file"]),
    ("socket-input", "s.csv", _socket, ["a socket, not a regular file"]),
    ("char-device", "a.csv", _device(stat.S_IFCHR), ["device, not a regular file"]),
    ("block-device", "a.json", _device(stat.S_IFBLK), ["device, not a regular file"]),
    ("symlink-to-device", "a.csv", _link_to(_device(stat.S_IFCHR)), ["device, not a regular file"]),
    ("directory-input", "a.csv", lambda p: p.mkdir(), ["a folder"]),
    ("symlink-to-directory", "a.csv", _link_to(lambda p: p.mkdir()), ["a folder"]),
    ("missing-file", "a.csv", lambda p: None, ["no such file"]),
    ("dangling-symlink", "a.csv", lambda p: os.symlink(p.with_name("gone.csv"), p), ["no such file"]),
    ("file-over-size-limit", "a.csv", _big, ["over the 52,428,800 limit"]),
    ("unreadable-file", "a.csv", _unreadable, ["permission denied"]),
]


def _build(tmp_path, name, content):  # noqa: ANN001, ANN202
    path = tmp_path / name
    path.write_bytes(content() if callable(content) else content)
    return str(path)


def _one_line(e: BaseException) -> str:
    text = str(e)
    assert "\n" not in text and "\r" not in text and "Traceback" not in text
    assert len(text) < 400, text
    return text


@pytest.mark.parametrize("name, content, expect", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_catalogue(tmp_path, name, content, expect):
    file = _build(tmp_path, name, content)
    if expect[0] == "ok":
        rows = read_update_rows(file)
        got = [(n, {k: v.get(k) for k in want}) for (n, v), (_, want) in zip(rows, expect[1], strict=False)]
        assert got == expect[1] and len(rows) == len(expect[1])
    elif expect[0] == "cell":
        with pytest.raises(CellError) as e:
            read_update_rows(file)
        assert (e.value.row, e.value.key) == expect[1:3]
        for w in expect[3]:
            assert w in _one_line(e.value)
    else:
        with pytest.raises(BadInput) as e:
            read_update_rows(file)
        assert not isinstance(e.value, CellError)
        for w in expect[1]:
            assert w in _one_line(e.value)


@pytest.mark.parametrize("name, setup, words", [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_only_regular_files(tmp_path, name, setup, words):
    path = tmp_path / name
    held = setup(path)
    try:
        with pytest.raises(BadInput) as e:
            read_update_rows(str(path))  # a FIFO opened for reading would block here forever
        for w in words:
            assert w in _one_line(e.value)
        assert "give a .csv" in str(e.value) or "check" in str(e.value) or "split" in str(e.value)
    finally:
        if held is not None:
            held.close()


def test_catalogue_size():
    assert len({c[0] for c in CASES} | {k[0] for k in KINDS}) == len(CASES) + len(KINDS) >= 60


# -- fuzz ----------------------------------------------------------------------------------------

SEED_SHEET = sheet_xml([["标题"], HEAD + ["note"], ROW + ["x"], [3, "2025Q2", "<f>1+2</f>", "y"], [4, 0.5, 1e300]])
SEED_XLSX = xlsx(sheet=SEED_SHEET)
WORDS = ["id", "quarter", "value", "序号", "季度", "数值", "note", "21", "2025Q2", "7", "新开通", '"', "'=", "%", ""]


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    data = bytearray(SEED_XLSX)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


TOKENS = [
    "<",
    ">",
    "/",
    '"',
    "&",
    "&amp;",
    "<c>",
    "</c>",
    "<v>",
    "</v>",
    "<f>1</f>",
    '<c t="e">',
    't="s"',
    's="9"',
    '<row r="0">',
    'r="ZZZZ9"',
    "<v>1e999</v>",
    "<v>nan</v>",
    "<is><t>",
    "]]>",
    "<![CDATA[",
    "\x00",
    "é",
    "%",
]


@st.composite
def mutated_sheet(draw: st.DrawFn) -> bytes:
    """A valid zip whose sheet XML is damaged: reaches openpyxl's own parsing."""
    text = SEED_SHEET
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 20)))
        text = text[:i] + "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=3))) + text[j:]
    return xlsx(sheet=text)


@st.composite
def table_text(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    lines = draw(st.lists(st.lists(st.sampled_from(WORDS) | st.text(max_size=5), max_size=6), max_size=8))
    text = "\n".join(sep.join(cells) for cells in lines)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])), "replace")


@settings(
    max_examples=int(os.environ.get("QDTRACK_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    ext=st.sampled_from([".csv", ".xlsx", ".json"]),
    data=st.binary(max_size=2048) | mutated_xlsx() | mutated_sheet() | table_text() | st.just(SEED_XLSX),
)
def test_fuzz_only_bad_input(tmp_path, ext, data):
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(data)
    try:
        rows = read_update_rows(str(path))
    except BadInput as e:
        _one_line(e)
    else:
        assert rows and all(isinstance(n, int) and "id" in v for n, v in rows)


# -- through the CLI ------------------------------------------------------------------------------

CLI_CASES = [
    "csv-mixed-encoding",
    "xlsx-billion-laughs",
    "xlsx-broken-sheet-xml",
    "json-deep-nesting",
    "xlsx-formula-no-cache",
    "csv-field-over-csv-limit",
    "json-huge-integer",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_refuses_in_one_line_and_changes_nothing(seeded, run, tmp_path, case):
    _, name, content, expect = next(c for c in CASES if c[0] == case)
    before = dump(seeded)
    r = run("import", _build(tmp_path, name, content))
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert "internal error" not in r.stderr
    assert dump(seeded) == before


def test_cli_refuses_a_fifo_without_blocking(seeded, run, tmp_path):
    os.mkfifo(tmp_path / "q2.csv")
    before = dump(seeded)
    r = run("import", tmp_path / "q2.csv")
    assert r.exit_code == 2 and "FIFO" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert dump(seeded) == before


def test_cli_names_the_row_and_column_of_a_formula(seeded, run, tmp_path):
    f = _build(tmp_path, "q2.xlsx", lambda: xlsx([["二季度"], HEAD, ROW, [3, "2025Q2", "<f>SUM(A1:A2)</f>"]]))
    r = run("import", f)
    assert r.exit_code == 2
    assert "row 4, column value (C): a formula without a saved result" in r.stderr


def test_rows_carry_their_columns_as_data(tmp_path):
    f = _build(tmp_path, "a.csv", csv_bytes("说明\n季度;序号;数值;其他\n2025Q2;21;7;x\n"))
    sheet = read_sheet(f)
    assert sheet.header_row == 2
    (row,) = sheet.rows
    assert row.number == 3
    assert row.cells["id"] == sheets.Cell("21", "序号", "B")
    assert row.cells["value"].where == "数值 (C)"
    assert set(row.cells) == {"id", "quarter", "value"}


def test_limits_are_stated():
    assert sheets.MAX_FILE_BYTES == 50 * 1024 * 1024 and sheets.MAX_ROWS == 200_000
    assert sheets.MAX_CELL_CHARS == 32_767 and sheets.MAX_COLUMNS == 256
    assert sheets_xlsx.MAX_UNZIPPED_BYTES == 100 * 1024 * 1024


@pytest.mark.parametrize(
    "content, words",
    [
        (lambda: xlsx([HEAD, ROW + [1] * 300]), ["有一行超过256个单元格", "请删除未使用的列"]),
        (lambda: xlsx(sheet=sheet_xml([HEAD]).replace("</sheetData>", f'<row r="200001">{c("A200001", 21)}</row></sheetData>')),
         ["超过200,000行", "请拆分成较小的文件"]),
    ],
)
def test_a_workbook_over_its_limits_is_refused_in_chinese(tmp_path, content, words):
    from qdtrack import i18n

    file = tmp_path / "a.xlsx"
    file.write_bytes(content())
    i18n.activate("zh")
    with pytest.raises(BadInput) as e:
        read_update_rows(str(file))
    for w in words:
        assert w in _one_line(e.value)
