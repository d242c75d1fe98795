"""What ``plan load`` prints: the plan year (whole, for --dry-run), its doubts, the unlinked items."""

from __future__ import annotations

from qdtrack.i18n import _, current_language
from qdtrack.planload_drafts import MetricDraft, TaskRow
from qdtrack.planload_place import Placed
from qdtrack.quantity import QuantityError, format_quantity
from qdtrack.render import one_line
from qdtrack.texts import kind_word, plan_value


def _shown(m: MetricDraft) -> str:
    try:
        value = format_quantity(m.value, m.unit)
    except QuantityError:
        value = f"{m.value:g}{m.unit}"
    comparator = plan_value("comparator", m.comparator, current_language())
    return _("{name}: {value} {comparator} ({kind}) — {text}").format(
        name=one_line(m.name), value=value, comparator=comparator, kind=kind_word(m.kind), text=one_line(m.target_text))  # fmt: skip


def summary(placed: Placed) -> str:
    rows = placed.rows
    bullets = sum(1 for t in rows.tasks if t.bullet)
    listed = sum(1 for t in rows.tasks if t.listed_no is not None)
    metrics = sum(len(t.metrics) for t in rows.tasks)
    milestones = sum(len(t.milestones) for t in rows.tasks)
    return _(
        "plan year {year} ({title}): {areas} areas, {sections} sections, {tasks} tasks ({bullets} bullets, "
        "{listed} listed items), {metrics} metrics, {milestones} milestones"
    ).format(year=rows.year, title=one_line(rows.title), areas=len(rows.areas), sections=len(rows.sections),
             tasks=len(rows.tasks), bullets=bullets, listed=listed, metrics=metrics, milestones=milestones)  # fmt: skip


def _task_lines(t: TaskRow) -> list[str]:
    ref = str(t.listed_no) if t.listed_no is not None else t.bullet or ""
    also = []
    if t.bullet and t.listed_no is not None:
        also.append(_("bullet {ref}").format(ref=t.bullet))
    if t.parent:
        also.append(_("part of {ref}").format(ref=t.parent))
    if t.covered_by_parts:
        also.append(_("tracked through its listed parts"))
    if t.owners:
        also.append(_("owners: {units}").format(units=one_line("、".join(t.owners))))
    extra = f"  [{'; '.join(also)}]" if also else ""
    lines = [f"    {ref}  {one_line(t.text or t.listed_text or '')}{extra}"]
    lines += [f"        - {_shown(m)}" for m in t.metrics]
    lines += ["        " + _("milestone {date} {text}").format(date=due.isoformat(), text=one_line(text)) for due, text in t.milestones]
    return lines


def plan_lines(placed: Placed) -> list[str]:
    """The whole plan year: areas, sections, tasks with every metric and milestone."""
    rows = placed.rows
    sections = {(a, n): title for a, n, title in rows.sections}
    out: list[str] = []
    shown_area, shown_section = -1, (-1, -1)
    for t in rows.tasks:
        if t.area_no != shown_area:
            shown_area = t.area_no
            out.append(_("Area {n} {title}").format(n=t.area_no, title=one_line(dict(rows.areas).get(t.area_no, ""))))
        key = (t.area_no, t.section_no or 0)
        if t.section_no is not None and key != shown_section:
            shown_section = key
            out.append(f"  {t.area_no}.{t.section_no} {one_line(sections.get(key, ''))}")
        out += _task_lines(t)
    return out


def review_lines(placed: Placed) -> list[str]:
    """The doubts and the listed items without a bullet, for a person to check."""
    out = []
    if placed.doubts:
        out.append(_("To check ({n}):").format(n=len(placed.doubts)))
        out += [f"  {d.where}: {one_line(d.text)} — {one_line(d.reason)}" for d in placed.doubts]
    if placed.unlinked:
        nos = ", ".join(str(n) for n in placed.unlinked)
        out.append(_("Listed items with no bullet ({n}): {nos}; placed beside their neighbours").format(
            n=len(placed.unlinked), nos=nos))  # fmt: skip
    return out
