"""Facts read for one area or one task (``status --area``, ``show``, ``update``'s verdict) are the
facts of the whole year restricted to those tasks: left out, never different."""

import datetime

import pytest

from qdtrack.ledger import Ledger


@pytest.fixture
def busy(run, seeded):
    """The seeded ledger with entries of every kind in several areas, and one withdrawn."""
    for args in (
        ("update", "21", "--value", "6", "--quarter", "2025Q2", "--note", "二季度"),
        ("update", "36", "--value", "500万", "--on", "2025-05-31"),
        ("update", "9.2.4", "--value", "1.2万", "--quarter", "2025Q2"),
        ("update", "1", "--value", "5.6%", "--quarter", "2025Q2"),
        ("update", "21", "--value", "8", "--quarter", "2025Q3"),
        ("void", "72", "--reason", "录错"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return seeded


def restricted(facts, tasks):
    metric_ids = {m.id for t in tasks for m in t.metrics}
    ids = {t.id for t in tasks}
    return (
        {k: v for k, v in facts.figures.items() if k in metric_ids},
        {k: v for k, v in facts.notes.items() if k in ids},
        {k: v for k, v in facts.marks.items() if k in ids},
        facts.reported & ids,
    )


@pytest.mark.parametrize("day", ["2025-03-31", "2025-06-30", "2025-08-15", "2025-12-31"])
def test_an_area_or_a_task_reads_the_same_facts_as_the_year(busy, day):
    d = datetime.date.fromisoformat(day)
    since = datetime.date(2025, 1, 1)
    with Ledger.open(busy) as ledger:
        tasks = ledger.plan(2025)
        whole = ledger.facts(2025, d, since)
        assert whole.figures and whole.notes  # the comparison is not between empty facts
        for area in sorted({t.area_no for t in tasks}):
            part = ledger.facts(2025, d, since, area=area)
            mine = [t for t in tasks if t.area_no == area]
            assert (part.figures, part.notes, part.marks, part.reported) == restricted(whole, mine)
        for task in tasks:
            one = ledger.facts(2025, d, since, task_id=task.id)
            assert (one.figures, one.notes, one.marks, one.reported) == restricted(whole, [task])


def test_status_of_an_area_and_show_agree_with_the_whole_status(run, busy):
    import json

    whole = {i["id"]: i for i in json.loads(run("status", "--format", "json").stdout)["items"]}
    area = json.loads(run("status", "--area", "5", "--format", "json").stdout)["items"]
    assert area and all(whole[i["id"]] == i for i in area)
    shown = json.loads(run("show", "21", "--format", "json").stdout)["items"][0]
    assert {k: shown[k] for k in whole["21"]} == whole["21"]
