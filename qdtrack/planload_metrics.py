"""Numeric targets in a plan's text: ``抓好460个省市重点项目建设,完成投资2450亿元以上``
gives two metrics, 460个 (a level: projects under way) and 2450亿元 (at least, cumulative).

The rules, in the order they apply to each quantity found in a task's text:

* not a target: ordinals, dates, codes (see :func:`qdtrack.zhtext.find_quantities`);
  a count that names the things enumerated just before it (``A、B3个产业``).
* doubts, never guessed: an unknown unit (吨, 米, 微克/立方米 …), an approximate
  target (10余家), contradictory comparators (不超过 … 以上), a reduction that is
  not a percentage.
* comparator: a suffix 以上 → at_least, 左右 → about, 以内/以下 → at_most; else a
  prefix 控制在/不超过/不高于/低于 → at_most, 达到/稳定在/保持在/提高到 → reach; else plain.
* kind: a percentage after 增长/增速/上涨/涨幅/下降/降低 is a ``rate``; any other
  percentage is a share, a ``level``; money after 总投资 is a multi-year ``total``;
  达到/稳定在 targets are ``level``; a count of projects or works that the text
  pushes along (推进, 加快, 抓好, 滚动, 提速, 在建 with 项目/工程/建设) is a
  ``level`` (projects under way); everything else is ``cumulative``.
* a reduction (下降2.5%) is a growth rate of at most -2.5%: value -2.5, at_most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qdtrack.i18n import _
from qdtrack.planload_drafts import Doubt, MetricDraft
from qdtrack.quantity import ABOUT, AT_LEAST, AT_MOST, MONEY, PLAIN, REACH
from qdtrack.zhtext import Found, clauses, find_quantities, has_cjk, nfkc, span_at

CUMULATIVE, LEVEL, RATE, TOTAL = "cumulative", "level", "rate", "total"

_SUFFIX = re.compile(r"(以上|左右|以内|以下)")
_SUFFIX_COMP = {"以上": AT_LEAST, "左右": ABOUT, "以内": AT_MOST, "以下": AT_MOST}
_CEILING = re.compile(r"(控制在|不超过|不高于|不多于|(?<!不)低于)$")
_FLOOR = re.compile(r"(不低于|不少于|至少)$")
_LEVEL = re.compile(r"(下降到|降低到|降至|降到|提高到|提高至|提升到|提升至|达到|稳定在|保持在)$")
_GROWTH = re.compile(r"(同比)?(增长|增速为?|增幅为?|上涨|涨幅|提高|增加)$")
_REDUCTION = re.compile(r"(同比)?(下降|降低|减少|降幅为?)$")
_ONGOING = re.compile(r"推进|加快|抓好|滚动|提速|在建")
_UNDER_WAY = re.compile(r"项目|工程|建设")
_JOINERS = "和与及、,的"


@dataclass(frozen=True)
class Targets:
    metrics: tuple[MetricDraft, ...]
    ignored: tuple[str, ...]  # numbers deliberately not taken, each with why
    doubts: tuple[Doubt, ...]


@dataclass(frozen=True)
class _Context:
    pre: str  # the clause before the number
    post: str  # the clause after the number (and its suffix)
    suffix: str
    clause: str
    lead: str = ""  # the whole clause before the number (pre starts after an earlier number)


def extract_targets(text: str, where: str = "") -> Targets:
    """Every numeric target of one task's text, with what was skipped and what is in doubt."""
    s = nfkc(text)
    spans = clauses(s)
    found = find_quantities(s)
    metrics: list[MetricDraft] = []
    ignored: list[str] = []
    doubts: list[Doubt] = []
    for i, f in enumerate(found):
        cs, ce = span_at(spans, f.start)
        lead = s[cs : f.start]
        if i and found[i - 1].end > cs:  # a second quantity in the clause: its words start after the first
            prev = found[i - 1]
            cs = prev.end + len(_suffix(s, prev.end))
        nxt = found[i + 1].start if i + 1 < len(found) and found[i + 1].start < ce else ce
        suffix = _suffix(s, f.end)
        ctx = _Context(s[cs : f.start], s[f.end + len(suffix) : nxt], suffix, s[span_at(spans, f.start)[0] : ce], lead)
        why = _not_a_target(f, ctx)
        if why:
            ignored.append(_("{text}: {why}").format(text=f.text, why=why))
            continue
        doubt = _doubt(f, ctx)
        if doubt:
            doubts.append(Doubt(where, ctx.clause, doubt))
            continue
        m = _metric(len(metrics) + 1, f, ctx)
        if isinstance(m, str):
            doubts.append(Doubt(where, ctx.clause, m))
        else:
            metrics.append(m)
    return Targets(tuple(_unique_names(metrics)), tuple(ignored), tuple(doubts))


def _suffix(s: str, end: int) -> str:
    m = _SUFFIX.match(s, end)
    return m.group() if m else ""


def _not_a_target(f: Found, ctx: _Context) -> str | None:
    n = ctx.pre.count("、")
    if n and f.unit not in ("%", MONEY) and not ctx.pre.endswith("等") and f.value == n + 1:
        return _("names the {n} things listed before it, not a target").format(n=n + 1)
    return None


def _doubt(f: Found, ctx: _Context) -> str | None:
    if f.value is None:
        return _("{text}: qdtrack does not know the unit {unit}; enter this target by hand").format(
            text=f.text, unit=f.other_unit)  # fmt: skip
    if f.approx:
        return _("{text} is approximate (余/多/近/约), not a target value; enter it by hand").format(text=f.text)
    return None


def _metric(pos: int, f: Found, ctx: _Context) -> MetricDraft | str:
    assert f.value is not None and f.unit is not None
    pre = ctx.pre
    comparator, level_word = PLAIN, ""
    floor = _FLOOR.search(pre)
    if floor:
        comparator, pre = AT_LEAST, pre[: floor.start()]
    m = None if floor else _CEILING.search(pre) or _LEVEL.search(pre)
    if m:
        level_word = m.group()
        comparator = AT_MOST if _CEILING.search(pre) else REACH
        pre = pre[: m.start()]
    growth = _GROWTH.search(pre)
    reduction = None if growth else _REDUCTION.search(pre)
    change = growth or reduction
    subject = pre[: change.start()] if change else pre
    if ctx.suffix:
        sfx = _SUFFIX_COMP[ctx.suffix]
        if comparator == AT_MOST and sfx != AT_MOST:
            return _("{text}: {word} and {suffix} contradict each other; enter this target by hand").format(
                text=f.text, word=level_word, suffix=ctx.suffix)  # fmt: skip
        comparator = sfx if comparator != AT_MOST else AT_MOST
    value = f.value
    if reduction:
        if f.unit != "%":
            return _("{text}: a reduction of a count or an amount; enter this target by hand").format(text=f.text)
        value = -value
        comparator = {PLAIN: AT_MOST, AT_LEAST: AT_MOST, AT_MOST: AT_LEAST}.get(comparator, comparator)
    kind = _kind(f, ctx, bool(growth or reduction), bool(level_word) and comparator != AT_MOST)
    name = _name(f, ctx, subject, kind, growth is not None, reduction is not None)
    target_text = (ctx.pre + f.text + ctx.suffix)[len(subject) :]
    return MetricDraft(pos, name, value, f.unit, comparator, kind, target_text or f.text)


def _kind(f: Found, ctx: _Context, growth: bool, reach: bool) -> str:
    if f.unit == "%":
        return RATE if growth else LEVEL
    if f.unit == MONEY and "总投资" in ctx.pre:
        return TOTAL
    if reach:
        return LEVEL
    if _ONGOING.search(ctx.lead) and _UNDER_WAY.search(ctx.clause):
        return LEVEL
    return CUMULATIVE


def _name(f: Found, ctx: _Context, subject: str, kind: str, growth: bool, reduction: bool) -> str:
    if kind == TOTAL:
        return "总投资"
    after = "" if ctx.post[:1] in ("、", ",", ";") else ctx.post.strip(_JOINERS)
    if has_cjk(after) and not (growth or reduction) and len(after) >= 2:
        return after
    base = subject.strip(_JOINERS) or f.text
    if growth:
        return base + "增速"
    if reduction:
        return base + "降幅"
    return base


def _unique_names(metrics: list[MetricDraft]) -> list[MetricDraft]:
    seen: dict[str, int] = {}
    out = []
    for m in metrics:
        seen[m.name] = seen.get(m.name, 0) + 1
        if seen[m.name] > 1:
            m = MetricDraft(m.pos, f"{m.name}({seen[m.name]})", m.value, m.unit, m.comparator, m.kind, m.target_text)
        out.append(m)
    return out
