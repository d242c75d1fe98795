"""Read a plan year from its documents: the report summary and the listed items.

Pure: text in, frozen drafts out; nothing here touches the ledger.

* :func:`parse_report` reads the illustrated summary (numbered areas, section
  headings, ``- `` bullets); page furniture (mastheads, dates, page numbers,
  a masthead repeated on a later page) is set aside.
* :func:`parse_listed` reads the publicly listed items (序号 / 事项内容, an
  optional 责任单位 column; a 进展情况 column is ignored).
* :func:`link` ties each listed item to the bullet it equals or is part of and
  returns the plan's tasks, each with its metrics (see ``planload_metrics``).
"""

from __future__ import annotations

import datetime
import re

from qdtrack.errors import BadInput
from qdtrack.i18n import _
from qdtrack.planload_drafts import (
    AreaDraft,
    BulletDraft,
    Doubt,
    Linkage,
    LinkDraft,
    ListedDraft,
    MetricDraft,
    PlanDraft,
    SectionDraft,
    TaskDraft,
)
from qdtrack.planload_link import link
from qdtrack.planload_metrics import extract_targets
from qdtrack.zhtext import has_cjk, nfkc, read_table_text

__all__ = [
    "AreaDraft",
    "BulletDraft",
    "Doubt",
    "LinkDraft",
    "Linkage",
    "ListedDraft",
    "MetricDraft",
    "PlanDraft",
    "SectionDraft",
    "TaskDraft",
    "link",
    "parse_listed",
    "parse_report",
]

_CN_DIGITS = "一二三四五六七八九十"
_AREA = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})\s*[、.．]?\s+(.+)|([一二三四五六七八九十]{1,2})、(.+)")
_BULLET = re.compile(r"[-•·]\s+(.+)")
_PAGE = re.compile(r"-\s*\d+\s*-|\d{1,4}|第\s*\d+\s*页.*|\d+\s*/\s*\d+")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日.*")
_YEAR = re.compile(r"(20\d\d)")


class _Builder:
    def __init__(self, year: int) -> None:
        self.year = year
        self.front: list[str] = []
        self.furniture: list[str] = []
        self.doubts: list[Doubt] = []
        self.areas: list[tuple[int, str, list[tuple[str, list[str]]]]] = []

    def line(self, no: int, line: str) -> None:
        area = _area_no(line)
        expected = len(self.areas) + 1
        if area is not None and area[0] != expected and self._misnumbered(no, area):
            return
        if area is not None and area[0] == expected:
            self.areas.append((area[0], area[1], []))
        elif not self.areas:
            self.front.append(line)
        elif self._furniture(line):
            self.furniture.append(line)
        elif m := _BULLET.fullmatch(line):
            sections = self.areas[-1][2]
            if not sections:
                self.doubts.append(
                    Doubt(_("line {n}").format(n=no), line, _("a bullet before any section heading; given its own section"))
                )
                sections.append(("(无标题)", []))
            sections[-1][1].append(m.group(1).strip())
        else:
            self.areas[-1][2].append((line, []))

    def _misnumbered(self, no: int, area: tuple[int, str]) -> bool:
        """True for an area heading repeated on a later page (set aside); BadInput for a gap or a
        repeat; False for a line that only looks like a heading (a short title: a section's)."""
        n, title = area
        last = len(self.areas)
        if n <= last and self.areas[n - 1][1] == title:
            self.furniture.append(f"{n} {title}")
            return True
        if len(title) < 4 or n > 30:
            return False
        if last == 0:
            raise BadInput(_("line {line}: the report's first area is numbered {n}; areas are numbered 1, 2, 3 … "
                             "in order").format(line=no, n=n))  # fmt: skip
        if n <= last:
            raise BadInput(_("line {line}: area {n} again after area {last}; each area appears once, numbered "
                             "1, 2, 3 … in order").format(line=no, n=n, last=last))  # fmt: skip
        raise BadInput(_("line {line}: area {n} follows area {last}, so area {missing} is missing; check the "
                         "report's numbering").format(line=no, n=n, last=last, missing=last + 1))  # fmt: skip

    def _furniture(self, line: str) -> bool:
        return bool(_PAGE.fullmatch(line) or _DATE.fullmatch(line)) or line in self.front

    def build(self) -> PlanDraft:
        if not self.areas:
            raise BadInput(_("the report has no numbered areas (lines like '1 在…上聚力攻坚求实效'); check the file"))
        areas = []
        for ano, atitle, sections in self.areas:
            secs = []
            for sno, (stitle, bullets) in enumerate(sections, 1):
                if not bullets:
                    self.doubts.append(Doubt(f"{ano}.{sno}", stitle, _("a section heading with no bullets under it")))
                secs.append(
                    SectionDraft(
                        sno, stitle, tuple(self._bullet(f"{ano}.{sno}.{n}", n, t) for n, t in enumerate(bullets, 1))
                    )
                )
            areas.append(AreaDraft(ano, atitle, tuple(secs)))
        return PlanDraft(
            self.year,
            _title(self.front),
            _published(self.front),
            tuple(self.front),
            tuple(areas),
            tuple(self.furniture),
            tuple(self._year_doubts() + self.doubts),
        )

    def _bullet(self, ref: str, no: int, text: str) -> BulletDraft:
        t = extract_targets(text, ref)
        self.doubts.extend(t.doubts)
        return BulletDraft(ref, no, text, t.metrics, t.ignored)

    def _year_doubts(self) -> list[Doubt]:
        years = {int(y) for line in self.front for y in _YEAR.findall(line)}
        if years and self.year not in years:
            said = ", ".join(str(y) for y in sorted(years))
            why = _("the document names {years}, loaded as {year}").format(years=said, year=self.year)
            return [Doubt(_("front matter"), " / ".join(self.front), why)]
        return []


def _area_no(line: str) -> tuple[int, str] | None:
    """(number, title) of a line shaped like an area heading ('1 在…上聚力攻坚求实效', '二、…')."""
    m = _AREA.fullmatch(line)
    if not m:
        return None
    num, title = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    n = int(num) if num.isdigit() else _cn_number(num)
    if n < 1 or not has_cjk(title) or title[0] in "年月日号届期":
        return None
    return n, title.strip()


def _cn_number(s: str) -> int:
    digit = {c: i for i, c in enumerate(_CN_DIGITS, 1)}
    if len(s) == 1:
        return digit[s]
    if s[0] == "十":
        return 10 + digit[s[1]]
    return digit[s[0]] * 10 if s[1] == "十" else -1


def _title(front: list[str]) -> str:
    for line in front:
        if "报告" in line:
            return line
    return front[0] if front else ""


def _published(front: list[str]) -> str | None:
    for line in front:
        m = re.match(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日", line)
        if m:
            try:
                return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                return None  # not a date (2025年13月45日): no published date
    return None


MAX_LINE_CHARS = 2_000  # one heading or bullet; a report's longest is a few hundred
MAX_BULLETS = 3_000  # a year's report has a few hundred
MAX_LISTED = 1_000  # a year's list has a few dozen


def parse_report(text: str, year: int) -> PlanDraft:
    """Read the report summary (the 000 layout) for plan year ``year``."""
    b = _Builder(year)
    bullets = 0
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if len(line) > MAX_LINE_CHARS:
            raise BadInput(_("line {line} of the report holds {n:,} characters, more than {limit:,}; is it the "
                             "report summary?").format(line=no, n=len(line), limit=MAX_LINE_CHARS))  # fmt: skip
        bullets += bool(_BULLET.fullmatch(line))
        if bullets > MAX_BULLETS:
            raise BadInput(_("the report holds more than {limit:,} bullets; is it the report summary?").format(
                limit=MAX_BULLETS))  # fmt: skip
        if line:
            b.line(no, line)
    draft = b.build()
    if not bullets:
        raise BadInput(_("the report has no bullets (lines starting with '- ' under its section headings); check "
                         "the file"))
    return draft


def parse_listed(text: str) -> list[ListedDraft]:
    """Read the listed items (the 002 layout: 序号, 事项内容[, 责任单位][, 进展情况])."""
    table = read_table_text(text)
    if len(table.rows) > MAX_LISTED:
        raise BadInput(_("the list holds {n:,} items, more than {limit:,}; is it the year's listed items?").format(
            n=len(table.rows), limit=MAX_LISTED))  # fmt: skip
    out = []
    for row in table.rows:
        no = int(row["序号"])
        content = row["事项内容"].strip()
        if not content:
            raise BadInput(_("listed item {no} has no 事项内容; fill it in").format(no=no))
        if len(content) > MAX_LINE_CHARS:
            raise BadInput(_("listed item {no} holds {n:,} characters, more than {limit:,}; is it the list of listed "
                             "items?").format(no=no, n=len(content), limit=MAX_LINE_CHARS))  # fmt: skip
        owners = [row.get(h, "") for h in ("责任单位", "牵头单位", "配合单位")]
        units = tuple(u for o in owners for u in re.split(r"[、,;\s]+", nfkc(o)) if u)
        t = extract_targets(content, _("listed {no}").format(no=no))
        out.append(ListedDraft(no, content, units, t.metrics, t.ignored, t.doubts, row.get("时间节点", "").strip()))
    return out
