"""Year-to-date figures in a progress text (进展情况), metric by metric.

For each metric, every quantity in the text in the metric's unit is a
candidate. A candidate is left out when it restates a target (``460个省市重点项目``
right before ``已开工在建405个``) and, for a growth-rate metric, when it is no
growth rate (开工率为77.8%). The others are ``unsure``, with the reason, when:

* it is a part of a total (after 其中) or one district's figure (a clause that
  starts with a district: 市南区已开工5户);
* it is not yet progress: planned, applied for, listed, preparatory (拟, 计划,
  申报, 申请, 征集, 谋划, 名单, 入选, 前期, 未开工 …), or approximate (60余个);
* it counts projects started where the target counts projects finished (完成,
  建成, 竣工 in the target; 开工 in the figure);
* it is a growth rate where the metric is a share or a level (达到13%);
* in a later quarter's 台账, its sentence speaks of one quarter (二季度新开通3条, 本季度) or an
  earlier span (上半年 in the third quarter) and names no span to date (累计, 截至, 1-9月);
* its words do not match the metric, or several figures match it equally.

A metric gets at most one ``sure`` figure. Two clean figures that split one
count by level (市级及以上 …, 区(市)级及以下 …) are added. Where the target is
carried out (实施) rather than finished, a count started is preferred to the
smaller count finished within it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from qdtrack.i18n import _, current_language
from qdtrack.model import exact_sum
from qdtrack.quantity import QuantityError, canonical_unit
from qdtrack.zhtext import Found, bigrams, clauses, find_quantities, nfkc, sentences, span_at

SURE, UNSURE = "sure", "unsure"

_GROWTH = re.compile(r"(增长|增速为?|增幅为?|上涨|涨幅为?|提高)$")
_DROP = re.compile(r"(下降|降低|减少|降幅为?)$")
_NOT_YET = re.compile(
    r"拟|计划|申报|申请|征集|谋划|储备|摸底|筛选|评审|招标|公示|入选|名单|目录|前期|未开工|待|正在办理|上报|选址"
)
_PILOT = "试点"
# Words too common to show that a text speaks of a metric.
_STOP = {
    "达到",
    "完成",
    "实施",
    "推进",
    "推动",
    "加快",
    "开展",
    "建设",
    "实现",
    "提升",
    "新增",
    "全市",
    "一季",
    "季度",
    "工作",
    "项目",
    "目前",
    "累计",
    "年度",
    "任务",
    "重点",
    "以上",
    "左右",
    "增长",
    "积极",
    "我市",
}
_DONE_VERB = re.compile(r"已|完成|累计|新增|建成|实现|开通|完工|竣工")
_FINISH = re.compile(r"完成|建成|竣工|完工|投用|通车")
_START = re.compile(r"开工|开建|动工")
_DISTRICT = re.compile(
    r"(?:其中|另外|同时)?[,:]?(?:[一二三四]季度|目前|截至目前|今年以来)?[,:]?([\u4e00-\u9fff]{2,4}?)(新区|区|县|市)(?![级场民政])"
)
# Characters no district name has (全市地区, 还举办了区, 都市圈, 城区, 园区 …).
_NOT_A_PLACE = set("了的是在已将对把被和与及等还也都全各本我该其城超上辖园片社景小校港举办开完")
# The period a sentence speaks of. In a later quarter's 台账 a sentence about one quarter (二季度新开通
# 3条) or an earlier span (上半年 in the third quarter) gives no year-to-date figure, unless it also
# names the span to date (累计, 截至, 前三季度 in the third quarter, 1-9月 …).
_ONE_QUARTER = re.compile(r"(?<!前)(?<![0-9])([一二三四1-4])季度|本季度|当季|单季")
_SPAN = re.compile(r"上半年|前三季度|全年|1\s*[-—–~至到]\s*([0-9]{1,2})\s*月")
_TO_DATE = re.compile(r"累计|截至|截止|今年以来|年初以来")
_SPAN_END = {"上半年": 2, "前三季度": 3, "全年": 4}
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _other_period(sentence: str, quarter: int) -> str | None:
    """Words naming a period other than the year up to ``quarter``'s end, when nothing names that."""
    if quarter == 1:  # a first quarter's figure is its year to date; later quarters named are plans
        return None
    spans = [(m.group(), _SPAN_END.get(m.group(), int(m.group(1) or 0) / 3)) for m in _SPAN.finditer(sentence)]
    if _TO_DATE.search(sentence) or any(end == quarter for _w, end in spans):
        return None
    for m in _ONE_QUARTER.finditer(sentence):
        if _CN_QUARTER.get(m.group(1) or "", quarter) <= quarter:  # a later quarter named is a plan
            return m.group()
    return next((w for w, end in spans if end < quarter), None)
_SHARE_OF_TARGET = re.compile(r"(完成|目标|任务|计划).*的$")


@dataclass(frozen=True)
class MetricSpec:
    """A metric as the ingester needs it: its words, unit, target and kind."""

    key: str  # the caller's id for the metric
    name: str
    unit: str
    target: float
    kind: str  # cumulative | level | rate | total
    target_text: str = ""  # e.g. 460个; locates the target's clause in task_text
    task_text: str = ""  # the task's (listed item's) text


@dataclass(frozen=True)
class FigureCandidate:
    metric: MetricSpec
    value: float  # in the metric's unit
    phrase: str  # the words it came from
    confidence: str  # sure | unsure
    reason: str = ""  # why unsure (or how a sum was made)


@dataclass
class _Cand:
    f: Found
    value: float
    clause: str
    sentence: str
    flags: list[str] = field(default_factory=list)


def _target_clause(m: MetricSpec) -> str:
    text = nfkc(m.task_text)
    tt = nfkc(m.target_text)
    pos = text.find(tt) if tt else -1
    if pos < 0:
        return text
    cs, ce = span_at(clauses(text), pos)
    return text[cs:ce]


def _words(m: MetricSpec) -> tuple[frozenset[str], frozenset[str]]:
    """(bigrams of the name, bigrams of the name and the target's clause)."""
    name = bigrams(nfkc(m.name)) - _STOP
    return name, name | (bigrams(_target_clause(m)) - _STOP)


def _flags(c: _Cand, text: str, m: MetricSpec, quarter: int = 1) -> None:
    s = text
    since_period = span_at(_periods(s), c.f.start)[0]
    if "其中" in s[since_period : c.f.start]:
        c.flags.append(_("a part of a total (其中)"))
    place = _district(s, c.f.start)
    if place:
        c.flags.append(_("one district's figure ({place})").format(place=place))
    not_yet = _NOT_YET.search(c.clause)
    if not_yet:
        c.flags.append(_("not yet progress ({word})").format(word=not_yet.group()))
    if _PILOT in c.clause and _PILOT not in m.name + _target_clause(m):
        c.flags.append(_("a pilot's figure (试点), not the whole"))
    if c.f.approx:
        c.flags.append(_("approximate (余/多/近/约)"))
    if _FINISH.search(_target_clause(m)) and _START.search(c.clause) and not _FINISH.search(c.clause):
        c.flags.append(_("counts started (开工) where the target counts finished"))
    other = _other_period(c.sentence, quarter)
    if other:
        c.flags.append(_("a figure for another period ({words}), not the year to date").format(words=other))


@functools.lru_cache(maxsize=64)
def _periods(text: str) -> tuple[tuple[int, int], ...]:
    """Spans between 。 and line breaks (cached: one pass per text, not one per figure)."""
    out, start = [], 0
    for m in re.finditer(r"[。\n]", text):
        out.append((start, m.start()))
        start = m.end()
    return (*out, (start, len(text)))


def _district(text: str, pos: int) -> str | None:
    """The district a figure's clause or sentence starts with (市南区已开工5户), if any."""
    for spans in (clauses(text), sentences(text)):
        d = _DISTRICT.match(text, span_at(spans, pos)[0])
        if d and d.end() <= pos and not _NOT_A_PLACE & set(d.group(1)):
            return d.group(1) + d.group(2)
    return None


def _restates(f: Found, text: str, targets: set[tuple[float, str]]) -> bool:
    if (f.value, f.unit) not in targets or f.unit == "%":
        return False
    after = text[f.end : f.end + 1]
    before = text[max(0, f.start - 8) : f.start]
    return bool(re.match(r"[\u4e00-\u9fff“\"]", after)) and after not in "已的" and not _DONE_VERB.search(before)


def _percent(c: _Cand, text: str, m: MetricSpec) -> bool:
    """Keep (and flag) a percentage for a metric in %; False drops it."""
    pre = text[span_at(clauses(text), c.f.start)[0] : c.f.start]
    change = _GROWTH.search(pre) or _DROP.search(pre)
    if m.kind == "rate":
        if not change:
            return False
        if _DROP.search(pre):
            c.value = -c.value
        return True
    if _SHARE_OF_TARGET.search(pre):
        return False
    if change:
        c.flags.append(_("a growth rate, but the metric is a share or a level"))
    return True


def _candidates(text: str, m: MetricSpec, targets: set[tuple[float, str]], quarter: int = 1) -> list[_Cand]:
    unit = canonical_unit(m.unit)
    out = []
    cl, se = clauses(text), sentences(text)
    for f in find_quantities(text):
        if f.value is None or f.unit != unit or _restates(f, text, targets):
            continue
        cs, ce = span_at(cl, f.start)
        ss, sse = span_at(se, f.start)
        c = _Cand(f, f.value, text[cs:ce], text[ss:sse])
        if unit == "%" and not _percent(c, text, m):
            continue
        _flags(c, text, m, quarter)
        out.append(c)
    return out


def _overlap(c: _Cand, words: tuple[frozenset[str], frozenset[str]], text: str) -> tuple[float, int]:
    """(share of the name's words in the figure's clause, words of the metric anywhere in the text)."""
    name, both = words
    return (len(name & bigrams(c.clause)) / len(name) if name else 0.0), len(both & bigrams(text))


def _noun_before(c: _Cand, text: str) -> str:
    return text[max(0, c.f.start - 6) : c.f.start]


def _split_sum(clean: list[_Cand], text: str) -> list[_Cand] | None:
    """Two figures for one count split by level (…级及以上 / …级及以下): their sum."""
    if len(clean) != 2:
        return None
    a, b = clean
    same_noun = _noun_before(a, text)[-4:] == _noun_before(b, text)[-4:]
    split = {"以上" in a.clause, "以上" in b.clause} == {True, False} and ("以下" in a.clause) != ("以下" in b.clause)
    if not (same_noun and split):
        return None
    total = _Cand(a.f, exact_sum(a.value, b.value), f"{a.clause} + {b.clause}", a.sentence + b.sentence)
    return [total]


def _prefer_started(clean: list[_Cand], m: MetricSpec) -> _Cand | None:
    """Where the target is carried out (not finished), the count started over the smaller count finished."""
    if _FINISH.search(_target_clause(m)):
        return None
    started = [c for c in clean if _START.search(c.clause) and not _FINISH.search(c.clause)]
    finished = [c for c in clean if _FINISH.search(c.clause) and not _START.search(c.clause)]
    if len(started) == 1 and finished and len(started) + len(finished) == len(clean):
        if all(f.value <= started[0].value for f in finished):
            return started[0]
    return None


def _choose(m: MetricSpec, clean: list[_Cand], text: str, words: tuple[frozenset[str], frozenset[str]]) -> tuple[_Cand | None, str]:
    """The one clean figure for ``m`` (and how it was chosen), or None with why not."""
    summed = _split_sum(clean, text)
    if summed:
        return summed[0], _("the sum of one count the text gives in two parts")
    started = _prefer_started(clean, m)
    if started:
        return started, _("the count started; those finished are counted within it")
    if len(clean) == 1:
        return clean[0], ""
    if not clean:
        return None, ""
    ranked = sorted(clean, key=lambda c: -_overlap(c, words, text)[0])
    best, second = (_overlap(c, words, text)[0] for c in ranked[:2])
    if best >= 0.5 and best - second >= 0.25:
        return ranked[0], ""
    return None, _("several figures match: {figures}").format(figures="、".join(c.f.text for c in clean))


def _decide(
    m: MetricSpec, cands: list[_Cand], text: str, words: dict[str, tuple[frozenset[str], frozenset[str]]], rivals: list[MetricSpec]
) -> list[FigureCandidate]:
    clean = [c for c in cands if not c.flags]
    chosen, how = _choose(m, clean, text, words[m.key])
    sep = "；" if current_language() == "zh" else "; "
    out = [FigureCandidate(m, c.value, c.clause, UNSURE, sep.join(c.flags)) for c in cands if c.flags]
    if chosen is None:
        out += [FigureCandidate(m, c.value, c.clause, UNSURE, how) for c in clean]
        return out
    out += [
        FigureCandidate(m, c.value, c.clause, UNSURE, _("another figure was chosen: {figure}").format(figure=chosen.f.text))
        for c in clean
        if c is not chosen and chosen.clause.find(c.clause) < 0
    ]
    ratio, shared = _overlap(chosen, words[m.key], text)
    if shared == 0:
        return out + [FigureCandidate(m, chosen.value, chosen.clause, UNSURE, _("its words do not match {metric}").format(metric=m.name))]
    for r in rivals:
        if ratio < 0.5 or _overlap(chosen, words[r.key], text)[0] >= ratio:
            why = _("it could be {other} as well as {metric}").format(other=r.name, metric=m.name)
            return out + [FigureCandidate(m, chosen.value, chosen.clause, UNSURE, why)]
    return out + [FigureCandidate(m, chosen.value, chosen.clause, SURE, how)]


def _unit(m: MetricSpec) -> str | None:
    try:
        return canonical_unit(m.unit)
    except QuantityError:
        return None


def extract_figures(progress_text: str, metrics: list[MetricSpec], quarter: int = 1) -> list[FigureCandidate]:
    """Candidate year-to-date figures for ``metrics`` (one task's) in its progress text.

    At most one candidate per metric is ``sure``; the others are ``unsure`` with
    the reason. A metric whose unit qdtrack does not know gets none.
    """
    text = nfkc(progress_text)
    known = [m for m in metrics if _unit(m)]
    targets = {(m.target, _unit(m) or "") for m in known}
    words = {m.key: _words(m) for m in known}
    out: list[FigureCandidate] = []
    for m in known:
        rivals = [r for r in known if r is not m and _unit(r) == _unit(m)]
        out += _decide(m, _candidates(text, m, targets, quarter), text, words, rivals)
    return out
