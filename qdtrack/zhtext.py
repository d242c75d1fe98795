"""Chinese text helpers shared by the plan loader and the 台账 ingester.

Pure functions on strings: normalising, comparing, splitting into clauses and
sentences, finding the quantities (number, 万/亿, unit) in running text, and
reading the plain-text table layout of a 台账 (序号 / 事项内容 / 进展情况).
Values and units are read by :func:`qdtrack.quantity.parse_quantity`.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

from qdtrack.errors import BadInput
from qdtrack.i18n import _
from qdtrack.quantity import QuantityError, parse_quantity

# Units qdtrack knows (quantity.py), longest first so 平方公里 wins over 公里.
KNOWN_UNITS = (
    "平方公里",
    "平方米",
    "人次",
    "场次",
    "亿元",
    "万元",
    "千瓦",
    "公里",
    "元",
    "人",
    "名",
    "亩",
    "%",
    "个",
    "家",
    "条",
    "项",
    "场",
    "户",
    "所",
    "处",
    "套",
    "座",
    "台",
    "辆",
    "次",
    "批",
    "㎡",
    "km",
)
# Words after a number that make it no quantity at all: dates, ordinals, phases, codes.
NOT_QUANTITY_AFTER = re.compile(r"(年|月|日|号|届|期|季度|分钟|小时|天|周|岁|点|级|代|版|[A-Za-z]|[+\-—~～至/:.、])")
# Counting words qdtrack does not know: a number followed by one is reported, never guessed.
OTHER_UNIT = re.compile(
    r"(微克/立方米|立方米|千瓦时|千米|公顷|标箱|百分点|个百分点|吨|艘|件|张|间|栋|只|头|米|床|班|列|架|位|册|倍|类|千[\u4e00-\u9fff])"
)

_PUNCT_CATEGORIES = ("P", "Z", "Cf", "Cc")  # punctuation, spaces, zero-width and control characters
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
_UNIT_ALT = "|".join(re.escape(u) for u in KNOWN_UNITS)
_TAIL = re.compile(rf"(余|多)?(万亿|亿|万)?(余|多)?({_UNIT_ALT})?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def nfkc(text: str) -> str:
    """NFKC-normalised text with thousands separators (1,200) removed."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))


def compare_key(text: str) -> str:
    """Text for comparing two wordings: NFKC, without punctuation and spaces."""
    s = nfkc(text)
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(_PUNCT_CATEGORIES))


# The helpers below are called once per figure on the same progress text: cached, so that a
# long text costs linear time, not quadratic (a hostile 台账 is no denial of service).


@functools.lru_cache(maxsize=1024)
def numbers_in(text: str) -> frozenset[str]:
    """The digit strings of ``text`` (after NFKC), for checking two wordings state the same figures."""
    return frozenset(_NUMBER.findall(nfkc(text)))


Spans = tuple[tuple[int, int], ...]


@functools.lru_cache(maxsize=64)
def clauses(text: str) -> Spans:
    """(start, end) of each clause: text between , ; 。 ！ ？ and line breaks."""
    return _spans(text, r"[,;。!?\n]")


@functools.lru_cache(maxsize=64)
def sentences(text: str) -> Spans:
    """(start, end) of each sentence: text between 。 ; ！ ？ and line breaks."""
    return _spans(text, r"[;。!?\n]")


def _spans(text: str, sep: str) -> Spans:
    out, start = [], 0
    for m in re.finditer(sep, text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return tuple(out)


def span_at(spans: Spans, pos: int) -> tuple[int, int]:
    """The span holding ``pos`` (spans are in order and do not overlap), else (0, 0)."""
    i = bisect.bisect_right(spans, pos, key=lambda sp: sp[0]) - 1
    if i >= 0 and spans[i][0] <= pos <= spans[i][1]:
        return spans[i]
    return 0, 0


@functools.lru_cache(maxsize=1024)
def bigrams(text: str) -> frozenset[str]:
    """Pairs of adjacent Chinese characters, the unit of word overlap."""
    chars = [c if _CJK.match(c) else " " for c in text]
    return frozenset(a + b for a, b in zip(chars, chars[1:], strict=False) if a != " " and b != " ")


@functools.lru_cache(maxsize=64)
def _titles(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each 《title》 (an unclosed one runs to the end)."""
    return tuple((m.start(), m.end()) for m in re.finditer(r"《[^》]*(?:》|$)", text))


def _inside_title(text: str, pos: int) -> bool:
    s, e = span_at(_titles(text), pos)
    return s < pos < e


@dataclass(frozen=True)
class Found:
    """A quantity in running (NFKC) text: where it is and what it says."""

    start: int
    end: int
    text: str
    value: float | None  # None when the unit is one qdtrack does not know
    unit: str | None
    approx: bool  # 余/多: "more than", not a figure
    other_unit: str = ""


@functools.lru_cache(maxsize=16)
def find_quantities(text: str) -> tuple[Found, ...]:
    """Every number in ``text`` (already NFKC) that is a quantity, with its unit.

    Skipped: ordinals (第5届), dates and years (2025年, 3月19日), codes (5G, PM2.5),
    list markers (1.), numbers inside 《titles》. A number with an unknown counting
    word is returned with ``value`` None and ``other_unit`` set.
    """
    out: list[Found] = []
    for m in _NUMBER.finditer(text):
        s, e = m.span()
        before = text[max(0, s - 1) : s]
        if before == "第" or re.match(r"[A-Za-z]", before) or _inside_title(text, s):
            continue
        tail = _TAIL.match(text, e)
        assert tail is not None  # every group is optional
        approx = bool(tail.group(1) or tail.group(3)) or before in ("近", "约")
        unit, mult = tail.group(4), tail.group(2)
        other = OTHER_UNIT.match(text, tail.start(4) if unit else tail.end())
        if other and (unit is None or other.end() > tail.end()):
            if mult is None and unit is None and NOT_QUANTITY_AFTER.match(text, e):
                continue
            out.append(Found(s, other.end(), text[s : other.end()], None, None, approx, other.group()))
            continue
        if unit is None:
            continue
        try:
            q = parse_quantity(m.group() + (mult or "") + unit)
        except QuantityError:
            continue
        out.append(Found(s, tail.end(), text[s : tail.end()], q.value, q.unit, approx))
    return tuple(out)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# --- the plain-text table layout of a 台账 -------------------------------------------

KNOWN_HEADERS = ("序号", "事项内容", "责任单位", "牵头单位", "配合单位", "时间节点", "进展情况", "备注")
MAX_TABLE_ROWS = 10_000
_SERIAL = re.compile(r"[0-9]{1,6}")
_PAGE_NO = re.compile(r"-\s*\d+\s*-|第\s*\d+\s*页(共\s*\d+\s*页)?|\d+\s*/\s*\d+")


@dataclass(frozen=True)
class TextTable:
    title: str
    headers: tuple[str, ...]
    rows: tuple[dict[str, str], ...]


def read_table_text(text: str) -> TextTable:
    """Read a 台账 in the plain-text layout: a title, one header per line, then per row
    its 序号 on a line of its own followed by one line per column; the last column
    (进展情况) may run over several lines. Page numbers (- 14 -) are dropped. Rows are
    numbered 1, 2, 3 … in order: a 序号 out of order, repeated or skipped is refused,
    never read into the row before it."""
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not _PAGE_NO.fullmatch(ln)]
    i = 0
    while i < len(lines) and lines[i] != "序号":
        i += 1
    title_lines = lines[:i]
    headers: list[str] = []
    while i < len(lines) and lines[i] in KNOWN_HEADERS and lines[i] not in headers:
        headers.append(lines[i])
        i += 1
    if not headers or headers[0] != "序号" or "事项内容" not in headers:
        raise BadInput(_("the 台账 has no 序号 / 事项内容 header lines; give the table in the 002 layout"))
    rows = _table_rows(lines[i:], headers)
    if not rows:
        raise BadInput(_("the 台账 has no rows under its header; give at least row 1"))
    return TextTable(" ".join(title_lines), tuple(headers), tuple(dict(zip(headers, r, strict=True)) for r in rows))


def _table_rows(lines: list[str], headers: list[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for ln in lines:
        if len(rows) > MAX_TABLE_ROWS:
            raise BadInput(_("the 台账 has more than {limit:,} rows; check the file").format(limit=MAX_TABLE_ROWS))
        complete = not rows or len(rows[-1]) >= len(headers)
        if complete and _SERIAL.fullmatch(ln) and ln != str(len(rows) + 1):
            raise BadInput(_out_of_order(int(ln), len(rows)))
        if complete and ln == str(len(rows) + 1):
            rows.append([ln])
        elif not rows:
            raise BadInput(_("the 台账 has {text!r} before row 1; each row starts with its 序号 on its own line").format(
                text=ln[:20]))  # fmt: skip
        elif len(rows[-1]) < len(headers):
            rows[-1].append(ln)
        else:
            rows[-1][-1] += "\n" + ln
    for r in rows:
        if len(r) < len(headers):
            raise BadInput(_("row {no} of the 台账 has {n} of {total} columns; fill in {column}").format(
                no=r[0], n=len(r), total=len(headers), column=headers[len(r)]))  # fmt: skip
    return rows


def _out_of_order(no: int, last: int) -> str:
    if last == 0:
        return _("the 台账's first row is 序号 {no}; number the rows 1, 2, 3 … in order").format(no=no)
    if no <= last:
        return _("the 台账 has 序号 {no} again after row {last}; each row appears once, numbered 1, 2, 3 … "
                 "in order").format(no=no, last=last)  # fmt: skip
    return _("the 台账 has 序号 {no} after row {last}, so row {missing} is missing or out of order; number the "
             "rows 1, 2, 3 … in order (a page number on a line of its own: delete it)").format(
                 no=no, last=last, missing=last + 1)  # fmt: skip
