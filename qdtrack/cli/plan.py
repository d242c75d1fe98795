"""Commands that edit the plan: ``plan set`` (baselines) and ``plan milestone`` (时间节点)."""

from __future__ import annotations

import click

from ..errors import BadInput
from .options import command_line, db_option, lang_option, open_ledger, pick_lang, year_option


@click.group("plan")
def plan() -> None:
    """Edit the plan: baselines of level targets and milestones of tasks.

    \b
    Examples:
        qdtrack plan set 8 --baseline 1.3万
        qdtrack plan milestone 5.1.1 2025-06-30 完成方案编制
    """


@plan.command("set")
@click.argument("item_id", metavar="ID")
@click.option("--metric", help="Which metric, by name or position, when the task has several.")
@click.option("--baseline", required=True, help="The level on 1 January, by the quantity rules of update: 1.3万, 520万千瓦.")
@click.option("--by", help="Who changes the plan (default: the config file's by, else your login name).")
@year_option
@lang_option
@db_option
def set_cmd(item_id: str, metric: str | None, baseline: str, by: str | None, year: int | None, lang: str | None,
            db_path: str | None) -> None:  # fmt: skip
    """Set the baseline (年初基数) of a level target; the change is logged with who and when.

    \b
    Examples:
        qdtrack plan set 8 --baseline 1.3万
        qdtrack plan set 34 --baseline 600万千瓦
    """
    from .. import actions
    from ..render import fmt_value

    task, m, value = actions.set_baseline(open_ledger(db_path), item_id, metric, baseline, year, by, command_line())
    shown = fmt_value(value, m.unit)
    click.echo(f"{task.ref} {m.name}：年初基数 {shown}" if pick_lang(lang) == "zh" else f"{task.ref} {m.name}: baseline {shown}")


@plan.command("milestone")
@click.argument("item_id", metavar="ID")
@click.argument("due", required=False)
@click.argument("text", required=False)
@click.option("--remove", "remove", type=int, metavar="N", help="Remove milestone N (one not yet done).")
@click.option("--by", help="Who changes the plan (default: the config file's by, else your login name).")
@year_option
@lang_option
@db_option
def milestone_cmd(item_id: str, due: str | None, text: str | None, remove: int | None, by: str | None,
                  year: int | None, lang: str | None, db_path: str | None) -> None:  # fmt: skip
    """Add a milestone (时间节点) to a task: a due date and what is due; or --remove N.

    DUE is a date of the plan year (2025-06-30) or 6月底前, 9月15日前, 年底前.

    \b
    Examples:
        qdtrack plan milestone 5.1.1 6月底前 完成方案编制
        qdtrack plan milestone 5.1.1 2025-12-31 主体完工
        qdtrack plan milestone 5.1.1 --remove 2
    """
    from .. import actions

    ledger, zh = open_ledger(db_path), pick_lang(lang) == "zh"
    if remove is not None:
        if due is not None or text is not None:
            raise BadInput("give either DUE TEXT to add a milestone or --remove N, not both")
        m = actions.remove_milestone(ledger, item_id, remove, year, by, command_line())
        click.echo(f"{item_id} 已删除时间节点{m.n}" if zh else f"{item_id}: removed milestone {m.n}")
        return
    if due is None or text is None:
        raise BadInput("give the milestone's DUE date and TEXT, e.g. qdtrack plan milestone 5.1.1 6月底前 完成方案编制")
    task, n, day = actions.add_milestone(ledger, item_id, due, text, year, by, command_line())
    click.echo(f"{task.ref} 时间节点{n}：{day.isoformat()} {text}" if zh else f"{task.ref} milestone {n}: due {day.isoformat()} {text}")
