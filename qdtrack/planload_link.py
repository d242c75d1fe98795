"""Link listed items (挂牌事项) to report bullets and lay out the plan's tasks.

Texts are compared after NFKC with punctuation and spaces removed (the summary
uses half-width commas, the 台账 full-width ones). A listed item is:

* ``same`` as a bullet when the two are equal, when the bullet's text is
  contained in the item's (the item adds context), or when they are similar
  both ways (at least 75% of each matched, e.g. two words swapped);
* ``part`` of a bullet when its text is contained in the bullet's, or when 75%
  of it matches the bullet but the bullet has much more;
* ``none``: no bullet; kept as its own task, placed by hand.

Similarity links need the item's figures (the digits) to be among the bullet's,
and are listed as doubts so that a person glances at them. A bullet's metric
that a part states (same value and unit) moves to the part; a bullet whose
every metric moved and whose text its parts cover is ``covered_by_parts``.
"""

from __future__ import annotations

import functools
from difflib import SequenceMatcher

from qdtrack.errors import BadInput
from qdtrack.i18n import _
from qdtrack.planload_drafts import (
    BulletDraft,
    Doubt,
    Linkage,
    LinkDraft,
    ListedDraft,
    MetricDraft,
    PlanDraft,
    TaskDraft,
)
from qdtrack.zhtext import compare_key, numbers_in

SIMILAR = 0.75  # share of the item's text that must match the bullet
CLOSE = 0.05  # two bullets scoring within this are a doubt
MAX_PAIRS = 100_000  # bullets × listed items compared (2025: 162 × 44 = 7,128)


def _blocks(a: str, b: str) -> list[tuple[int, int, int]]:
    """Matching blocks of two or more characters (single shared characters are chance)."""
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return [(i, j, n) for i, j, n in sm.get_matching_blocks() if n >= 2]


@functools.lru_cache(maxsize=4096)
def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _reachable(item: str, pairs: frozenset[str]) -> int:
    """Characters of ``item`` inside a two-character run that ``pairs`` (the bullet's) holds: an upper
    bound of what matching blocks of two or more characters can cover."""
    covered = [False] * len(item)
    for i in range(len(item) - 1):
        if item[i : i + 2] in pairs:
            covered[i] = covered[i + 1] = True
    return sum(covered)


def _score(item: str, bullet: str) -> tuple[float, str, str] | None:
    """(score, relation, how) of ``item`` against ``bullet`` (both compare keys), or None."""
    if not item or not bullet:
        return None
    if item == bullet:
        return 3.0, "same", "exact"
    if item in bullet:
        return 2.0 + len(item) / len(bullet), "part", "contains"
    if bullet in item and len(bullet) >= 6 and numbers_in(bullet) <= numbers_in(item):
        return 2.0, "same", "contained"
    if not numbers_in(item) <= numbers_in(bullet):
        return None
    if _reachable(item, _pairs(bullet)) < SIMILAR * len(item):
        return None  # cannot be similar: skip the costly matcher
    matched = sum(n for _i, _j, n in _blocks(item, bullet))
    of_item, of_bullet = matched / len(item), matched / len(bullet)
    if of_item < SIMILAR:
        return None
    relation = "same" if of_bullet >= SIMILAR else "part"
    how = _("similar ({item:.0%} of the item, {bullet:.0%} of the bullet)").format(item=of_item, bullet=of_bullet)
    return (of_item + of_bullet) / 2, relation, how


def _link_one(item: ListedDraft, bullets: list[BulletDraft], keys: dict[str, str], doubts: list[Doubt]) -> LinkDraft:
    key = compare_key(item.text)
    scored = []
    for b in bullets:
        s = _score(key, keys[b.ref])
        if s:
            scored.append((s[0], b.ref, s[1], s[2]))
    if not scored:
        return LinkDraft(item.no, None, "none", "none")
    scored.sort(key=lambda t: -t[0])
    score, ref, relation, how = scored[0]
    where = _("listed {no}").format(no=item.no)
    if len(scored) > 1 and score - scored[1][0] < CLOSE:
        why = _("matches {ref} and {other} about equally; linked to {ref}").format(ref=ref, other=scored[1][1])
        doubts.append(Doubt(where, item.text, why))
    if how not in ("exact", "contains", "contained"):
        same = _("reworded: taken as the same as {ref}, {how}; check")
        why = (same if relation == "same" else _("reworded: taken as a part of {ref}, {how}; check")).format(ref=ref, how=how)
        doubts.append(Doubt(where, item.text, why))
    return LinkDraft(item.no, ref, relation, how)


def _metric_key(m: MetricDraft) -> tuple[float, str]:
    return m.value, m.unit


def _renumber(metrics: list[MetricDraft]) -> tuple[MetricDraft, ...]:
    return tuple(
        MetricDraft(i, m.name, m.value, m.unit, m.comparator, m.kind, m.target_text) for i, m in enumerate(metrics, 1)
    )


def _coverage(bullet: str, parts: list[str]) -> float:
    covered: set[int] = set()
    for p in parts:
        for _i, j, n in _blocks(p, bullet):
            covered.update(range(j, j + n))
    return len(covered) / len(bullet) if bullet else 0.0


def _bullet_tasks(
    b: BulletDraft, area: int, section: int, same: ListedDraft | None, parts: list[ListedDraft], doubts: list[Doubt]
) -> list[TaskDraft]:
    if same is not None and sorted(map(_metric_key, same.metrics)) != sorted(map(_metric_key, b.metrics)):
        shown = "、".join(m.target_text for m in same.metrics) or _("none")
        why = _("listed item {no} states targets {targets}, unlike the bullet; the bullet's are used").format(
            no=same.no, targets=shown)  # fmt: skip
        doubts.append(Doubt(b.ref, same.text, why))
    stated = {_metric_key(m) for p in parts for m in p.metrics}
    kept = [m for m in b.metrics if _metric_key(m) not in stated]
    covered = bool(parts) and bool(b.metrics) and not kept
    covered = covered and _coverage(compare_key(b.text), [compare_key(p.text) for p in parts]) >= SIMILAR
    tasks = [
        TaskDraft(
            area,
            section,
            b.ref,
            same.no if same else None,
            b.text,
            same.text if same else None,
            None,
            covered,
            _renumber(kept),
        )
    ]
    for p in parts:
        tasks.append(TaskDraft(area, section, None, p.no, None, p.text, b.ref, False, _renumber(list(p.metrics))))
    return tasks


def _neighbours(no: int, links: dict[int, LinkDraft]) -> str:
    before = [lk.bullet for n, lk in sorted(links.items()) if n < no and lk.bullet]
    after = [lk.bullet for n, lk in sorted(links.items()) if n > no and lk.bullet]
    first = before[-1] if before else _("the start")
    last = after[0] if after else _("the end")
    return _("between {first} and {last} in 序号 order").format(first=first, last=last)


def link(plan: PlanDraft, listed: list[ListedDraft]) -> Linkage:
    """Link every listed item to a bullet and lay out the plan's tasks in report order."""
    doubts: list[Doubt] = []
    bullets = plan.bullets()
    if len(bullets) * len(listed) > MAX_PAIRS:
        raise BadInput(_("{bullets:,} bullets and {items:,} listed items are far more than a year's report; check the "
                         "documents").format(bullets=len(bullets), items=len(listed)))  # fmt: skip
    keys = {b.ref: compare_key(b.text) for b in bullets}
    links = {item.no: _link_one(item, bullets, keys, doubts) for item in listed}
    by_no = {item.no: item for item in listed}
    same: dict[str, ListedDraft] = {}
    parts: dict[str, list[ListedDraft]] = {}
    for no, lk in sorted(links.items()):
        ref = lk.bullet
        if ref is None:
            continue
        if lk.relation == "same" and ref in same:
            why = _("listed item {no} is already {ref}; taken as a part").format(no=same[ref].no, ref=ref)
            doubts.append(Doubt(_("listed {no}").format(no=no), by_no[no].text, why))
            links[no] = lk = LinkDraft(no, ref, "part", lk.how)
        if lk.relation == "same":
            same[ref] = by_no[no]
        else:
            parts.setdefault(ref, []).append(by_no[no])
    tasks: list[TaskDraft] = []
    for area in plan.areas:
        for sec in area.sections:
            for b in sec.bullets:
                tasks += _bullet_tasks(b, area.no, sec.no, same.get(b.ref), parts.get(b.ref, []), doubts)
    for no, lk in sorted(links.items()):
        if lk.bullet is None:
            item = by_no[no]
            tasks.append(TaskDraft(None, None, None, no, None, item.text, None, False, _renumber(list(item.metrics))))
            why = _("no bullet matches; place it by hand ({where})").format(where=_neighbours(no, links))
            doubts.append(Doubt(_("listed {no}").format(no=no), item.text, why))
    return Linkage(tuple(links[n] for n in sorted(links)), tuple(tasks), tuple(doubts))
