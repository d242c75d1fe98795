"""The words tables and reports are made of, in English and Chinese (terms of shared/glossary-zh.md).

Status values in JSON stay English (``on_track``); these are the words people read.
"""

from __future__ import annotations

from .i18n import N_

STATUS_WORDS = {
    "en": {"done": "done", "ahead": "ahead", "on_track": "on track", "lagging": "lagging", "no_data": "no data",
           "not_judged": "not judged"},
    "zh": {"done": "已完成", "ahead": "超进度", "on_track": "达进度", "lagging": "欠进度", "no_data": "未填报",
           "not_judged": "未评估"},
}  # fmt: skip

HEADERS = {
    "en": {
        "id": "ID", "task": "Task", "target": "Target", "actual": "YTD", "percent": "% / pts", "expected": "Pace %",
        "status": "Status", "bar": "Progress", "metric": "Metric", "area": "Area", "title": "Title", "total": "Tasks",
        "gap": "Behind (pts)", "shortfall": "Short of pace", "per_quarter": "Needed per quarter", "quarter": "Quarter",
        "figure": "Figure", "note": "Note", "recorded": "Recorded", "by": "By", "latest_note": "Latest note",
        "due": "Due", "milestone": "Milestone", "overdue": "Days overdue", "entry": "#", "as_of": "As of",
        "change": "Change", "source": "Source", "judged_at": "Judged at",
    },
    "zh": {
        "id": "序号", "task": "事项内容", "target": "目标", "actual": "累计完成", "percent": "完成率%/百分点",
        "expected": "时序进度%", "status": "状态", "bar": "进度", "metric": "指标", "area": "领域", "title": "名称",
        "total": "事项数", "gap": "差距(百分点)", "shortfall": "距时序进度还差", "per_quarter": "后续每季度需完成", "quarter": "季度",
        "figure": "数值", "note": "进展情况", "recorded": "记录时间", "by": "填报人", "latest_note": "最新进展",
        "due": "完成时限", "milestone": "时间节点", "overdue": "逾期天数", "entry": "编号", "as_of": "截至",
        "change": "变更", "source": "来源", "judged_at": "评估日期",
    },
}  # fmt: skip

MILESTONE_WORDS = {
    "en": {"done": "done", "late": "done late", "ahead": "done early", "overdue": "overdue", "pending": "pending"},
    "zh": {"done": "已完成", "late": "逾期完成", "ahead": "提前完成", "overdue": "逾期", "pending": "未到期"},
}

KIND_WORDS = {"cumulative": N_("cumulative"), "level": N_("level"), "total": N_("total"), "rate": N_("rate")}


def kind_word(kind: str) -> str:
    """A metric's kind (``cumulative``, ``level``, ``total``, ``rate``) as a reader's word."""
    return str(KIND_WORDS.get(kind, kind))


def column_label(key: str) -> str:
    """An import column as a reader of the active language names it: ``value`` in English,
    its Chinese header (数值) in Chinese where the file may use one."""
    from .i18n import current_language
    from .sheets import COLUMNS

    if current_language() != "zh":
        return key
    names = COLUMNS.get(key, ())
    return next((n for n in names if not n.isascii()), key)


def status_choices(statuses: tuple[str, ...] | list[str]) -> str:
    """The statuses a user may type, in the active language (the Chinese words are accepted too)."""
    from .i18n import current_language

    lang = current_language()
    return "、".join(STATUS_WORDS["zh"][s] for s in statuses) if lang == "zh" else ", ".join(statuses)


#: What ``plan set`` and ``plan milestone`` change, as ``log`` names it in Chinese.
PLAN_FIELDS_ZH = {"baseline": "年初基数", "target": "目标", "target_text": "目标", "comparator": "比较方式", "kind": "目标类型",
                  "owners": "责任单位"}  # fmt: skip
COMPARATORS_ZH = {"at_least": "以上", "about": "左右", "reach": "达到", "at_most": "以内", "plain": "无修饰"}


def plan_field(field: str, lang: str) -> str:
    """A plan change's field (``baseline``, ``milestone 2`` …) in ``lang``."""
    if lang != "zh":
        return field
    if field.startswith("milestone "):
        return "时间节点" + field.removeprefix("milestone ")
    return PLAN_FIELDS_ZH.get(field, field)


def plan_value(field: str, value: str, lang: str) -> str:
    """A plan change's value as a reader of ``lang`` names it (a kind or comparator in Chinese)."""
    if lang != "zh":
        return value
    if field == "kind":
        return {"cumulative": "累计型", "level": "达到型", "total": "总量型", "rate": "比率型"}.get(value, value)
    return COMPARATORS_ZH.get(value, value) if field == "comparator" else value
