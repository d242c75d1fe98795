"""Lay a linked plan out as the rows of a plan year: order, areas, sections, milestones.

Pure. A listed item no bullet matches is placed just before the next listed item
that has one (in 序号 order), in that item's area and section; one before every
linked item is a headline target (the full report states those before its areas)
and goes to area 0, 主要预期目标, as in the bundled seed. Either way it is in the
doubts for a person to check. A 时间节点 cell becomes milestones
(``milestones.split_nodes``); the parts it cannot read are listed for review.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from qdtrack.i18n import _
from qdtrack.milestones import split_nodes
from qdtrack.planload_drafts import (
    DocumentRow,
    Doubt,
    Linkage,
    ListedDraft,
    PlanDraft,
    PlanRows,
    TaskDraft,
    TaskRow,
)

HEADLINE_AREA = (0, "主要预期目标")
Nodes = tuple[tuple[datetime.date, str], ...]


@dataclass(frozen=True)
class Placed:
    rows: PlanRows
    doubts: tuple[Doubt, ...]  # the report's, the list's, the linkage's, unread 时间节点
    unlinked: tuple[int, ...]  # listed items with no bullet


def _group_start(tasks: list[TaskDraft], i: int) -> int:
    """A part's group starts at its bullet: insert before that, not between bullet and parts."""
    parent = tasks[i].parent
    while parent is not None and i > 0 and tasks[i].bullet != parent:
        i -= 1
    return i


def _ordered(linkage: Linkage) -> tuple[list[TaskDraft], list[TaskDraft], tuple[int, ...]]:
    """(headline tasks, every other task in order with unlinked ones placed, the unlinked numbers)."""
    placed = [t for t in linkage.tasks if t.area_no is not None]
    loose = [t for t in linkage.tasks if t.area_no is None]
    linked_nos = sorted(lk.listed_no for lk in linkage.links if lk.bullet is not None)
    headline: list[TaskDraft] = []
    for t in loose:
        no = t.listed_no or 0
        before = [n for n in linked_nos if n < no]
        after = [n for n in linked_nos if n > no]
        if not before or not after:
            if not before:
                headline.append(t)
            else:
                placed.append(_moved(t, placed[-1]))
            continue
        i = next(k for k, x in enumerate(placed) if x.listed_no == after[0])
        i = _group_start(placed, i)
        placed.insert(i, _moved(t, placed[i]))
    return headline, placed, tuple(t.listed_no or 0 for t in loose)


def _moved(t: TaskDraft, beside: TaskDraft) -> TaskDraft:
    return TaskDraft(beside.area_no, beside.section_no, None, t.listed_no, None, t.listed_text, None, False, t.metrics)


def _row(seq: int, t: TaskDraft, area: int, nodes: Nodes, owners: tuple[str, ...]) -> TaskRow:
    section = t.section_no if area != HEADLINE_AREA[0] else None
    return TaskRow(seq, area, section, t.bullet, t.listed_no, t.text, t.listed_text, t.parent, t.covered_by_parts,
                   t.metrics, nodes, owners)  # fmt: skip


def _year_title(plan: PlanDraft, year: int) -> str:
    if "政府工作报告" in plan.title:
        return f"{year}年政府工作报告"
    return plan.title or f"{year}年政府工作报告"


def place(
    plan: PlanDraft,
    listed: list[ListedDraft],
    linkage: Linkage,
    documents: tuple[DocumentRow, ...],
) -> Placed:
    """The rows of the plan year, the doubts to show, and the listed items left without a bullet."""
    headline, ordered, unlinked = _ordered(linkage)
    doubts = list(plan.doubts) + [d for x in listed for d in x.doubts] + list(linkage.doubts)
    nodes_of: dict[int, Nodes] = {}
    for x in listed:
        if x.nodes:
            found, unread = split_nodes(x.nodes, plan.year)
            nodes_of[x.no] = tuple(found)
            doubts += [
                Doubt(_("listed {no}").format(no=x.no), part, _("a 时间节点 with no date qdtrack can read; add it by hand"))
                for part in unread
            ]
    owners = {x.no: x.owners for x in listed}
    rows: list[TaskRow] = []
    for t in headline:
        rows.append(
            _row(
                len(rows) + 1, t, HEADLINE_AREA[0], nodes_of.get(t.listed_no or 0, ()), owners.get(t.listed_no or 0, ())
            )
        )
    for t in ordered:
        rows.append(
            _row(len(rows) + 1, t, t.area_no or 0, nodes_of.get(t.listed_no or 0, ()), owners.get(t.listed_no or 0, ()))
        )
    areas = ([HEADLINE_AREA] if headline else []) + [(a.no, a.title) for a in plan.areas]
    sections = tuple((a.no, s.no, s.title) for a in plan.areas for s in a.sections)
    plan_rows = PlanRows(plan.year, _year_title(plan, plan.year), documents, tuple(areas), sections, tuple(rows))
    return Placed(plan_rows, tuple(doubts), unlinked)
