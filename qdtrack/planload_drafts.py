"""The frozen drafts a plan is read into, before anything is written to a ledger."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class MetricDraft:
    """One numeric target of a task."""

    pos: int
    name: str
    value: float
    unit: str
    comparator: str  # at_least | about | reach | at_most | plain
    kind: str  # cumulative | level | rate | total
    target_text: str


@dataclass(frozen=True)
class Doubt:
    """Something the parser could not decide; a person must."""

    where: str  # a bullet ID (1.2.3), 'listed 20', or 'line 57'
    text: str  # the words in question
    reason: str


@dataclass(frozen=True)
class BulletDraft:
    ref: str  # area.section.bullet, e.g. 1.2.3
    no: int
    text: str  # verbatim
    metrics: tuple[MetricDraft, ...]
    ignored: tuple[str, ...]  # numbers that are not targets, each with why


@dataclass(frozen=True)
class SectionDraft:
    no: int
    title: str
    bullets: tuple[BulletDraft, ...]


@dataclass(frozen=True)
class AreaDraft:
    no: int
    title: str
    sections: tuple[SectionDraft, ...]


@dataclass(frozen=True)
class PlanDraft:
    year: int
    title: str  # the front-matter line naming the report
    published: str | None  # ISO date from the front matter
    front_matter: tuple[str, ...]
    areas: tuple[AreaDraft, ...]
    furniture: tuple[str, ...]  # lines inside the body set aside (page numbers, repeated mastheads)
    doubts: tuple[Doubt, ...]

    def bullets(self) -> list[BulletDraft]:
        return [b for a in self.areas for s in a.sections for b in s.bullets]


@dataclass(frozen=True)
class ListedDraft:
    no: int  # 序号
    text: str  # 事项内容, verbatim
    owners: tuple[str, ...]  # 责任单位 / 牵头单位 then 配合单位, when the list has them
    metrics: tuple[MetricDraft, ...]
    ignored: tuple[str, ...]
    doubts: tuple[Doubt, ...]
    nodes: str = ""  # the 时间节点 cell, verbatim ('' when the list has none)


@dataclass(frozen=True)
class LinkDraft:
    """How one listed item relates to the report: ``same`` bullet, ``part`` of one, or ``none``."""

    listed_no: int
    bullet: str | None
    relation: str  # same | part | none
    how: str  # exact | contains | contained | similar (with the scores) | none


@dataclass(frozen=True)
class TaskDraft:
    """One row of the plan's task list, as the ledger's tasks table holds it."""

    area_no: int | None  # None: an unlinked listed item, to be placed by hand
    section_no: int | None
    bullet: str | None
    listed_no: int | None
    text: str | None  # the bullet's text
    listed_text: str | None
    parent: str | None  # the bullet a part belongs to
    covered_by_parts: bool
    metrics: tuple[MetricDraft, ...]


@dataclass(frozen=True)
class Linkage:
    links: tuple[LinkDraft, ...]
    tasks: tuple[TaskDraft, ...]
    doubts: tuple[Doubt, ...]


@dataclass(frozen=True)
class TaskRow:
    """A task placed in the plan: its order, area and section, ready to be written."""

    seq: int
    area_no: int
    section_no: int | None  # within the area; None for area 0 (headline targets)
    bullet: str | None
    listed_no: int | None
    text: str | None
    listed_text: str | None
    parent: str | None  # the bullet a part belongs to
    covered_by_parts: bool
    metrics: tuple[MetricDraft, ...]
    milestones: tuple[tuple[datetime.date, str], ...]
    owners: tuple[str, ...] = ()  # 责任单位: the lead unit first, from the list's owner columns


@dataclass(frozen=True)
class DocumentRow:
    stem: str  # the file name without its extension
    title: str
    published: str | None
    front_matter: str


@dataclass(frozen=True)
class PlanRows:
    """Everything ``plan load`` writes for one plan year."""

    year: int
    title: str
    documents: tuple[DocumentRow, ...]
    areas: tuple[tuple[int, str], ...]
    sections: tuple[tuple[int, int, str], ...]  # (area, no, title)
    tasks: tuple[TaskRow, ...]
