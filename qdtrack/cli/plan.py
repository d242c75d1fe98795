"""Commands that edit the plan: ``plan load`` (a year from its documents), ``plan set`` (baselines)
and ``plan milestone`` (时间节点)."""

from __future__ import annotations

import click

from ..errors import BadInput
from ..i18n import N_, TrCommand, TrGroup, TrPath, _, format_date
from .options import command_line, db_option, lang_option, open_ledger, pick_lang, year_option


@click.group("plan", cls=TrGroup)
def plan() -> None:
    """Edit the plan: baselines of level targets and milestones of tasks.

    \b
    Examples:
        qdtrack plan set 8 --baseline 1.3万
        qdtrack plan milestone 5.1.1 2025-06-30 完成方案编制
    """


@plan.command("set", cls=TrCommand)
@click.argument("item_id", metavar="ID")
@click.option("--metric", help=N_("Which metric, by name or position, when the task has several."))
@click.option("--baseline", help=N_("The level on 1 January, by the quantity rules of update: 1.3万, 520万千瓦."))
@click.option("--owner", "owners", multiple=True, metavar="UNIT",
              help=N_("Responsible unit (责任单位); repeat or separate with 、 — the lead unit (牵头单位) first. Replaces the task's units."))  # fmt: skip
@click.option("--target", help=N_("A new target value, as the report writes it: 12条, 1.5万人, 500亿元."))
@click.option("--comparator", help=N_("at_least (以上), about (左右), reach (达到), at_most (以内), or plain."))
@click.option("--kind", help=N_("cumulative, level, rate or total."))
@click.option("--by", help=N_("Who changes the plan (default: the config file's by, else your login name)."))
@year_option
@lang_option
@db_option
def set_cmd(item_id: str, metric: str | None, baseline: str | None, owners: tuple[str, ...], target: str | None,
            comparator: str | None, kind: str | None, by: str | None, year: int | None, lang: str | None,
            db_path: str | None) -> None:  # fmt: skip
    """Edit a task's plan: responsible units, a metric's target, comparator, kind or baseline.

    Each change is logged with who and when (qdtrack log shows it).

    \b
    Examples:
        qdtrack plan set 21 --owner 市交通运输局 --owner 青岛港集团
        qdtrack plan set 8 --baseline 1.3万
        qdtrack plan set 21 --target 12条
    """
    from .. import planset

    pick_lang(lang)
    ledger = open_ledger(db_path)
    if baseline is not None and not (owners or target or comparator or kind):
        from .. import actions
        from ..render import fmt_value

        task, m, value = actions.set_baseline(ledger, item_id, metric, baseline, year, by, command_line())
        click.echo(_("{ref} {metric}: baseline {value}").format(ref=task.ref, metric=m.name, value=fmt_value(value, m.unit)))
        return
    edit = planset.PlanEdit(metric, baseline, planset.parse_units(owners), target, comparator, kind)
    for line in planset.set_plan(ledger, item_id, edit, year, by, command_line())[1]:
        click.echo(line)


@plan.command("milestone", cls=TrCommand)
@click.argument("item_id", metavar="ID")
@click.argument("due", required=False)
@click.argument("text", required=False)
@click.option("--remove", "remove", type=int, metavar="N", help=N_("Remove milestone N (one not yet done)."))
@click.option("--by", help=N_("Who changes the plan (default: the config file's by, else your login name)."))
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

    ledger, out = open_ledger(db_path), pick_lang(lang)
    if remove is not None:
        if due is not None or text is not None:
            raise BadInput(_("give either DUE TEXT to add a milestone or --remove N, not both"))
        m = actions.remove_milestone(ledger, item_id, remove, year, by, command_line())
        click.echo(_("{ref}: removed milestone {n}").format(ref=item_id, n=m.n))
        return
    if due is None or text is None:
        raise BadInput(_("give the milestone's DUE date and TEXT, e.g. qdtrack plan milestone 5.1.1 6月底前 完成方案编制"))
    task, n, day = actions.add_milestone(ledger, item_id, due, text, year, by, command_line())
    click.echo(_("{ref} milestone {n}: due {date} {text}").format(ref=task.ref, n=n, date=format_date(day, out), text=text))


@plan.command("load", cls=TrCommand)
@click.argument("report", type=TrPath(dir_okay=False))
@click.option("--listed", type=TrPath(dir_okay=False), help=N_("The list of publicly listed items (序号, 事项内容[, 时间节点])."))
@click.option("--year", "year", type=int, required=True, help=N_("The plan year the documents describe, e.g. 2026."))
@click.option("--replace", is_flag=True, help=N_("Load a year the ledger already holds again (only while it has no entries)."))
@click.option("--dry-run", is_flag=True, help=N_("Show the whole plan, every metric and every doubt; write nothing."))
@click.option("--by", help=N_("Who loads the plan (default: the config file's by, else your login name)."))
@db_option
def load_cmd(report: str, listed: str | None, year: int, replace: bool, dry_run: bool, by: str | None,
             db_path: str | None) -> None:  # fmt: skip
    """Load a plan year from the report summary and the listed items.

    REPORT is the summary in the layout of the bundled 2025 report (numbered areas,
    section headings, '- ' bullets). The numbers in each task become its metrics;
    what the parser cannot decide is listed for review.

    \b
    Examples:
        qdtrack plan load report-2026.txt --listed listed-2026.txt --year 2026 --dry-run
        qdtrack plan load report-2026.txt --listed listed-2026.txt --year 2026
    """
    from ..planload_apply import load_plan
    from ..planload_show import plan_lines, review_lines, summary

    ledger = open_ledger(db_path)
    loaded = load_plan(ledger, report, listed, year, replace=replace, dry_run=dry_run, by=by, source=command_line())
    if dry_run:
        for line in plan_lines(loaded.placed):
            click.echo(line)
    for line in review_lines(loaded.placed):
        click.echo(line)
    if loaded.backup is not None:
        click.echo(_("the ledger as it was is kept at {path}").format(path=loaded.backup))
    head = summary(loaded.placed)
    if dry_run:
        click.echo(_("dry run: {summary}; nothing was written").format(summary=head))
    elif loaded.replaced:
        click.echo(_("replaced {summary}").format(summary=head))
    else:
        click.echo(_("loaded {summary}").format(summary=head))
