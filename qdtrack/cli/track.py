"""Commands that view and record progress: init, show, status, update, lagging, areas."""

from __future__ import annotations

import click

from ..errors import BadInput
from .options import (
    as_of_option,
    check_area,
    check_tolerance,
    command_line,
    db_option,
    format_option,
    lang_option,
    open_ledger,
    pick_lang,
    resolve_as_of,
    tolerance_option,
    use_colour,
    year_option,
)


@click.command()
@click.option("--force", is_flag=True, help="Replace an existing ledger (its history is lost).")
@db_option
def init(force, db_path):
    """Create the ledger from the bundled 2025 seed.

    \b
    Examples:
        qdtrack init
        qdtrack init --db /srv/qdtrack/ledger.db
        qdtrack init --force      # start again from the seed
    """
    import pathlib

    from ..ledger import Ledger, default_path

    path = pathlib.Path(db_path) if db_path else default_path()
    if path.exists() and path.stat().st_size > 0:
        if not force:
            raise BadInput(f"a ledger already exists at {path}; add --force to replace it with the seed")
        ledger, _ = Ledger.open(path)
        ledger.reseed()
        click.echo(f"Replaced the ledger at {path} with the bundled 2025 seed.", err=True)
        return
    Ledger.open(path)
    click.echo(f"Created a new ledger at {path} from the bundled 2025 seed.", err=True)


@click.command()
@click.argument("item_id", metavar="ID")
@year_option
@format_option(("table", "json"))
@lang_option
@db_option
def show(item_id, year, fmt, lang, db_path):
    """Show one task: its area, targets and every update, oldest first.

    \b
    Examples:
        qdtrack show 36
        qdtrack show 9.2.4 --format json
    """
    from .. import render
    from ..ledger import find_task
    from ..progress import default_as_of, judge_task

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    tasks = ledger.plan(year)
    task = find_task(tasks, item_id)
    as_of = default_as_of(ledger.latest_quarter(year), year)
    verdict = judge_task(task, as_of, year)
    lang = pick_lang(lang)
    click.echo(render.render_show(fmt, year, as_of, verdict, tasks, lang, use_colour()), nl=False)


@click.command()
@click.option("--area", type=int, help="Only this area (0-10).")
@click.option("--item", "item_id", help="Only this task (listed number or bullet ID).")
@click.option("--listed", is_flag=True, help="Only the publicly listed items (挂牌事项).")
@year_option
@as_of_option
@tolerance_option
@format_option()
@lang_option
@db_option
def status(area, item_id, listed, year, as_of, tolerance, fmt, lang, db_path):
    """Every task with its year-to-date figure, % of target, pace and status.

    \b
    Examples:
        qdtrack status --area 9
        qdtrack status --item 21 --format json
        qdtrack status --listed --as-of 2025Q2
    """
    from .. import render
    from ..ledger import find_task
    from ..progress import judge_task

    check_tolerance(tolerance)
    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    when = resolve_as_of(ledger, year, as_of)
    areas = check_area(ledger, year, area)
    tasks = ledger.plan(year)
    if item_id is not None:
        task = find_task(tasks, item_id)
        chosen = [task] if not task["covered_by_parts"] else [t for t in tasks if t["parent_id"] == task["id"]]
    else:
        chosen = [t for t in tasks if not t["covered_by_parts"]]
    if area is not None:
        chosen = [t for t in chosen if t["area_no"] == area]
    if listed:
        chosen = [t for t in chosen if t["listed"]]
    groups = {}
    for t in chosen:
        groups.setdefault(t["area_no"], []).append(judge_task(t, when, year, tolerance))
    grouped = [(areas[no], vs) for no, vs in groups.items()]
    click.echo(render.render_status(fmt, year, when, grouped, pick_lang(lang), use_colour()), nl=False)


@click.command()
@click.argument("item_id", metavar="ID")
@click.option("--value", help="Year-to-date figure at the quarter's end: 4, 278.17万, 3.2万人, 479.9亿元.")
@click.option("--add", help="This quarter's increment instead (cumulative metrics).")
@click.option("--metric", help="Which metric, by name or position, when the task has several.")
@click.option("--quarter", help="2025Q2 or Q2 (default: this quarter, when today is in the plan year).")
@click.option("--note", help="Progress text (进展情况).")
@click.option("--status", "set_status", help="done, ahead, on_track or lagging (tasks without numeric targets).")
@click.option("--correct", is_flag=True, help="Allow a year-to-date figure below an earlier quarter's.")
@click.option("--by", help="Who records this (default: your login name).")
@year_option
@lang_option
@db_option
def update(item_id, value, add, metric, quarter, note, set_status, correct, by, year, lang, db_path):
    """Record a figure, a note or a status for a task.

    \b
    Examples:
        qdtrack update 21 --value 4 --quarter 2025Q1
        qdtrack update 36 --value 278.17万 --note "一季度新增绿色建筑278.17万平方米"
        qdtrack update 3 --metric 完成投资 --value 1200亿元 --quarter 2025Q2
        qdtrack update 21 --add 3 --quarter 2025Q2
    """
    from .. import render
    from ..progress import judge_task
    from ..recording import Change, plan_update

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    tasks = ledger.plan(year)
    change = Change(
        ref=item_id,
        value=value,
        add=add,
        metric=metric,
        quarter=quarter,
        note=note,
        status=set_status,
        correct=correct,
        by=by,
        source=command_line(),
    )
    task, rows = plan_update(tasks, year, change)
    ledger.insert_updates(rows)
    tasks = ledger.plan(year)
    task = next(t for t in tasks if t["id"] == task["id"])
    from ..progress import default_as_of

    as_of = default_as_of(ledger.latest_quarter(year), year)
    verdict = judge_task(task, as_of, year)
    click.echo(render.status_line(verdict, as_of, pick_lang(lang), use_colour()))


@click.command()
@click.option("--area", type=int, help="Only this area (0-10).")
@year_option
@as_of_option
@tolerance_option
@format_option()
@lang_option
@db_option
def lagging(area, year, as_of, tolerance, fmt, lang, db_path):
    """Metrics behind the pace of the year, worst first, and listed items not updated.

    \b
    Examples:
        qdtrack lagging
        qdtrack lagging --as-of 2025Q2 --tolerance 5
        qdtrack lagging --format json
    """
    from .. import render
    from ..progress import judge_all
    from ..progress import lagging as find_lagging
    from ..progress import stale as find_stale

    check_tolerance(tolerance)
    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    when = resolve_as_of(ledger, year, as_of)
    check_area(ledger, year, area)
    tasks = [t for t in ledger.plan(year) if not t["covered_by_parts"]]
    if area is not None:
        tasks = [t for t in tasks if t["area_no"] == area]
    verdicts = judge_all(tasks, when, year, tolerance)
    items = find_lagging(verdicts, when, year)
    stale = find_stale(verdicts, when)
    click.echo(render.render_lagging(fmt, year, when, items, stale, pick_lang(lang), use_colour()), nl=False)


@click.command()
@year_option
@as_of_option
@format_option()
@lang_option
@db_option
def areas(year, as_of, fmt, lang, db_path):
    """The areas of work with their tasks counted by status.

    \b
    Examples:
        qdtrack areas
        qdtrack areas --as-of 2025Q2 --format json
    """
    from .. import render
    from ..progress import judge_all

    ledger = open_ledger(db_path)
    year = ledger.resolve_year(year)
    when = resolve_as_of(ledger, year, as_of)
    tasks = [t for t in ledger.plan(year) if not t["covered_by_parts"]]
    verdicts = judge_all(tasks, when, year)
    groups = [(a, [v for v in verdicts if v.task["area_no"] == a["no"]]) for a in ledger.areas(year)]
    click.echo(render.render_areas(fmt, year, when, groups, pick_lang(lang)), nl=False)
